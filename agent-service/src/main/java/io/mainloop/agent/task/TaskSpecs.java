package io.mainloop.agent.task;

import io.mainloop.agent.config.AgentConfig;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a {@link TaskSpec} and fills its defaults; bad input is a 400 {@link TaskRequestException}. */
final class TaskSpecs {

    static final int MAX_PROMPT_BYTES = 32 * 1024;
    static final List<String> PROFILES = List.of("small", "medium", "large");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._\\-\\[\\]]{1,100}");
    private static final Pattern WORKDIR = Pattern.compile("[A-Za-z0-9._/\\-]{1,200}");

    private TaskSpecs() {
    }

    /** Copies {@code spec} into {@code task}, with the defaults of {@code config} where it is silent. */
    static void apply(TaskSpec spec, AgentConfig.Tasks config, TaskEntity task) {
        if (spec == null || spec.prompt() == null || spec.prompt().isBlank()) {
            throw new TaskRequestException(400, "prompt must not be empty");
        }
        if (spec.prompt().getBytes(StandardCharsets.UTF_8).length > MAX_PROMPT_BYTES) {
            throw new TaskRequestException(400, "prompt is over " + MAX_PROMPT_BYTES + " bytes");
        }
        String title = spec.title() == null || spec.title().isBlank() ? firstLine(spec.prompt()) : spec.title().strip();
        if (title.length() > 200) {
            throw new TaskRequestException(400, "title is over 200 characters");
        }
        if (spec.model() != null && !spec.model().isBlank() && !MODEL.matcher(spec.model()).matches()) {
            throw new TaskRequestException(400, "model must be an alias such as sonnet or a model id");
        }
        if (spec.repositoryUrl() != null && !spec.repositoryUrl().isBlank() && !spec.repositoryUrl().startsWith("https://")) {
            throw new TaskRequestException(400, "repository url must be https://");
        }
        if (spec.workdir() != null && !spec.workdir().isBlank()
                && (!WORKDIR.matcher(spec.workdir()).matches() || spec.workdir().contains("..") || spec.workdir().startsWith("/"))) {
            throw new TaskRequestException(400, "workdir must be a relative path inside the workspace");
        }
        String profile = spec.profile() == null || spec.profile().isBlank() ? "small" : spec.profile().strip();
        if (!PROFILES.contains(profile)) {
            throw new TaskRequestException(400, "profile must be small, medium or large");
        }
        int maxTurns = spec.maxTurns() == null ? config.maxTurns() : spec.maxTurns();
        if (maxTurns < 1 || maxTurns > 500) {
            throw new TaskRequestException(400, "maxTurns must be between 1 and 500");
        }
        Duration deadline = spec.deadline() == null ? config.deadline() : spec.deadline();
        if (deadline.compareTo(Duration.ofSeconds(5)) < 0 || deadline.compareTo(Duration.ofHours(24)) > 0) {
            throw new TaskRequestException(400, "the deadline must be between 5 seconds and 24 hours");
        }
        BigDecimal budget = spec.maxBudgetUsd() == null ? config.maxBudgetUsd() : spec.maxBudgetUsd();
        if (budget.signum() <= 0 || budget.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new TaskRequestException(400, "maxBudgetUsd must be above 0 and at most 100");
        }
        task.title = title;
        task.prompt = spec.prompt();
        task.model = spec.model() == null || spec.model().isBlank() ? config.defaultModel().orElse(null) : spec.model();
        task.repositoryUrl = blankToNull(spec.repositoryUrl());
        task.repositoryBranch = blankToNull(spec.repositoryBranch());
        task.workdir = blankToNull(spec.workdir());
        task.profile = profile;
        task.maxTurns = maxTurns;
        task.deadlineSeconds = deadline.toSeconds();
        task.maxBudgetUsd = budget;
    }

    private static String firstLine(String prompt) {
        String line = prompt.strip().lines().findFirst().orElse("task");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
