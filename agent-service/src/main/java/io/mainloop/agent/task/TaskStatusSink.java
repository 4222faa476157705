package io.mainloop.agent.task;

import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * Where a launcher reports what happens to a task (implemented by {@link TaskService}, which
 * records it and publishes the task events). Every call is idempotent: a report repeated (a
 * re-attach re-reading the output, a reconcile seeing the same Job status) changes nothing.
 */
public interface TaskStatusSink {

    /** The task's CLI (or Job) started for attempt {@code attempt}; {@code pid} when local, else null. */
    void started(UUID taskId, int attempt, Long pid);

    /** The task asks the owner {@code question} and waits ({@link TaskPhase#NeedsInput}). */
    void needsInput(UUID taskId, int attempt, String question);

    /**
     * Attempt {@code attempt} of the task ended.
     *
     * @param phase Succeeded, Failed or Cancelled
     * @param result the final text (Succeeded), else null
     * @param error why it failed, else null
     */
    void finished(UUID taskId, int attempt, TaskPhase phase, String result, String error, Usage usage,
                  BigDecimal costUsd, long durationMs);
}
