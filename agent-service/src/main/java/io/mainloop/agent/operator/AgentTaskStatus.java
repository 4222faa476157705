package io.mainloop.agent.operator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the reconciler observed of an AgentTask: its phase (the {@link io.mainloop.contracts.TaskPhase}
 * words), conditions in the Kubernetes style ({@code Invalid}, {@code Running}, {@code Complete},
 * {@code Failed}), the Job that runs it and, when it ended, the CLI's result and cost.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentTaskStatus {

    @JsonPropertyDescription("Pending, Running, NeedsInput (it asked the owner; add the answer to spec.answers), "
            + "Succeeded or Failed.")
    public String phase;

    @JsonPropertyDescription("The run this status describes: 0 the first, n the one resumed with spec.answers[n-1].")
    public Integer run;

    @JsonPropertyDescription("What the task asks the owner while NeedsInput.")
    public String question;

    @JsonPropertyDescription("Latest observations (type, status, reason, message, observedGeneration, lastTransitionTime).")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("When the Job started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When the Job ended (RFC 3339).")
    public String completedAt;

    @JsonPropertyDescription("The CLI's final text (its stream-json result line).")
    public String result;

    @JsonPropertyDescription("What the run cost, USD (the result line's total_cost_usd).")
    public BigDecimal costUsd;

    @JsonPropertyDescription("The Job that runs the task.")
    public String jobName;

    @JsonPropertyDescription("The mainloop task this resource runs.")
    public String taskId;

    /** A deep copy (conditions copied too), to compare the status before and after a reconcile. */
    public AgentTaskStatus copy() {
        AgentTaskStatus c = new AgentTaskStatus();
        c.phase = phase;
        c.run = run;
        c.question = question;
        c.conditions = new ArrayList<>();
        if (conditions != null) {
            conditions.forEach(x -> c.conditions.add(new Condition(x.getLastTransitionTime(), x.getMessage(),
                    x.getObservedGeneration(), x.getReason(), x.getStatus(), x.getType())));
        }
        c.startedAt = startedAt;
        c.completedAt = completedAt;
        c.result = result;
        c.costUsd = costUsd;
        c.jobName = jobName;
        c.taskId = taskId;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentTaskStatus s && Objects.equals(phase, s.phase)
                && Objects.equals(run, s.run) && Objects.equals(question, s.question)
                && Objects.equals(conditions, s.conditions) && Objects.equals(startedAt, s.startedAt)
                && Objects.equals(completedAt, s.completedAt) && Objects.equals(result, s.result)
                && (costUsd == null ? s.costUsd == null : s.costUsd != null && costUsd.compareTo(s.costUsd) == 0)
                && Objects.equals(jobName, s.jobName) && Objects.equals(taskId, s.taskId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, jobName, taskId);
    }
}
