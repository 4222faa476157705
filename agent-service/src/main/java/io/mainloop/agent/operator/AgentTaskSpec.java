package io.mainloop.agent.operator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.math.BigDecimal;

/**
 * What an AgentTask asks Claude Code to do and within which limits. Null fields take the
 * defaults of {@code mainloop.agent.kubernetes.defaults.*}. The schema rejects the worst
 * mistakes when the API server validates; the reconciler checks again (condition {@code Invalid}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentTaskSpec {

    @JsonPropertyDescription("A short name of the task (at most 200 characters).")
    public String title;

    @Required
    @JsonPropertyDescription("The task's instructions, passed to `claude -p` (at most 32 KiB).")
    public String prompt;

    @JsonPropertyDescription("The CLI's --model (an alias such as sonnet, or a full model id); empty: the default.")
    public String model;

    @JsonPropertyDescription("A git repository cloned (depth 1) into the workspace before the CLI starts.")
    public Repository repository;

    @JsonPropertyDescription("A relative directory inside the workspace to run in; empty: the workspace.")
    public String workdir;

    @Pattern("^(small|medium|large)$")
    @JsonPropertyDescription("CPU and memory of the pod: small, medium or large.")
    public String profile;

    @Min(1)
    @JsonPropertyDescription("The CLI's --max-turns.")
    public Integer maxTurns;

    @Min(1)
    @JsonPropertyDescription("Longest the task may run, seconds (the Job's activeDeadlineSeconds).")
    public Long deadlineSeconds;

    @Min(0)
    @JsonPropertyDescription("The CLI's --max-budget-usd: it stops once the run has cost this much, USD.")
    public BigDecimal maxBudgetUsd;

    @JsonPropertyDescription("The parent thread its result goes back to; empty: the owner's main thread.")
    public String threadId;

    @JsonPropertyDescription("The owner's answers to the task's questions (ask_owner), oldest first. Each added answer "
            + "starts one more run (Job) that resumes the CLI's session with it.")
    public java.util.List<String> answers;

    /** How many answers the spec holds: the number of the run it asks for (0: the first). */
    public int run() {
        return answers == null ? 0 : answers.size();
    }

    /** A git repository to clone into the workspace. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Repository {

        @Required
        @Pattern("^https://")
        @JsonPropertyDescription("The repository's https URL.")
        public String url;

        @JsonPropertyDescription("The branch (or tag) to clone; empty: the default branch.")
        public String branch;
    }
}
