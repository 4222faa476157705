package io.mainloop.agent.operator;

import io.mainloop.agent.task.TaskAdoption;
import io.mainloop.agent.task.TaskSpec;
import io.mainloop.agent.task.TaskStatusSink;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double of the task model (TaskService's role): records what the reconciler reports and
 * adopts AgentTasks applied with kubectl. Enabled only by {@link KubernetesModeProfile}.
 */
@Alternative
@ApplicationScoped
public class RecordingTaskSink implements TaskStatusSink, TaskAdoption {

    /** One report. */
    public record Report(UUID taskId, int attempt, String kind, TaskPhase phase, String result, String error,
                         Usage usage, BigDecimal costUsd) {
    }

    /** One adoption. */
    public record Adopted(UUID taskId, String resourceName, String threadId, TaskSpec spec) {
    }

    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final Map<String, Adopted> adopted = new ConcurrentHashMap<>();

    @Override
    public void started(UUID taskId, int attempt, Long pid) {
        reports.add(new Report(taskId, attempt, "started", TaskPhase.Running, null, null, null, null));
    }

    @Override
    public void needsInput(UUID taskId, int attempt, String question) {
        reports.add(new Report(taskId, attempt, "needsInput", TaskPhase.NeedsInput, null, question, null, null));
    }

    @Override
    public void finished(UUID taskId, int attempt, TaskPhase phase, String result, String error, Usage usage,
                         BigDecimal costUsd, long durationMs) {
        reports.add(new Report(taskId, attempt, "finished", phase, result, error, usage, costUsd));
    }

    @Override
    public UUID adopt(String resourceName, String threadId, TaskSpec spec) {
        return adopted.computeIfAbsent(resourceName, n -> new Adopted(UUID.randomUUID(), n, threadId, spec)).taskId();
    }

    /** The adoption of the AgentTask {@code resourceName}, or null. */
    public Adopted adopted(String resourceName) {
        return adopted.get(resourceName);
    }

    /** The reports about {@code taskId}, in order. */
    public List<Report> of(UUID taskId) {
        return reports.stream().filter(r -> r.taskId().equals(taskId)).toList();
    }
}
