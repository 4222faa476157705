package io.mainloop.agent.task;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What a sub-agent task is asked to do and within which limits (docs/tasks.md). Null fields take
 * the defaults of {@code mainloop.agent.tasks.*}.
 *
 * @param title a short name (at most 200 characters)
 * @param prompt the task's instructions (at most 32 KiB)
 * @param model the CLI's {@code --model}, or null for the default
 * @param repositoryUrl a git repository to clone into the workspace first (https), or null
 * @param repositoryBranch the branch to clone, or null for the default branch
 * @param workdir a directory inside the workspace to run in, or null for the workspace itself
 * @param profile {@code small}, {@code medium} or {@code large} (CPU and memory in a cluster)
 * @param maxTurns the CLI's {@code --max-turns}
 * @param deadline longest the task may run
 * @param maxBudgetUsd the CLI's {@code --max-budget-usd}
 */
public record TaskSpec(String title, String prompt, String model, String repositoryUrl, String repositoryBranch,
                       String workdir, String profile, Integer maxTurns, Duration deadline, BigDecimal maxBudgetUsd) {
}
