package io.mainloop.agent.rest;

import io.mainloop.agent.task.TaskEntity;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A task as the API shows it (docs/tasks.md).
 *
 * @param repository the repository cloned first, or null
 * @param deadlineMinutes longest it may run, minutes
 * @param usage its token totals so far
 */
public record TaskView(UUID id, String title, String prompt, String model, Repository repository, String workdir,
                       String profile, int maxTurns, long deadlineMinutes, BigDecimal maxBudgetUsd, String threadId,
                       String source, TaskPhase phase, int attempt, String result, String error, String question,
                       Usage usage, BigDecimal costUsd, Long durationMs, Instant createdAt, Instant startedAt,
                       Instant completedAt, boolean seen, String resourceName) {

    /** A git repository: its https URL and branch (null: the default branch). */
    public record Repository(String url, String branch) {
    }

    /** The view of {@code t}. */
    public static TaskView of(TaskEntity t) {
        return new TaskView(t.id, t.title, t.prompt, t.model,
                t.repositoryUrl == null ? null : new Repository(t.repositoryUrl, t.repositoryBranch), t.workdir, t.profile,
                t.maxTurns, t.deadlineSeconds / 60, t.maxBudgetUsd, t.threadId, t.source, t.phase, t.attempt, t.result,
                t.error, t.question, new Usage(orZero(t.inputTokens), orZero(t.outputTokens), 0, 0), t.costUsd,
                t.durationMs, t.createdAt, t.startedAt, t.completedAt, t.seen, t.resourceName);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
