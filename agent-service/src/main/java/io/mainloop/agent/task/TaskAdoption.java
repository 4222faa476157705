package io.mainloop.agent.task;

import java.util.UUID;

/**
 * Makes a task of an AgentTask resource that was applied to the cluster directly (for example
 * with {@code kubectl apply}), so it has no task row yet (implemented by {@link TaskService}).
 * The AgentTask reconciler calls it once per such resource and records the returned id in the
 * resource's {@code status.taskId}.
 */
public interface TaskAdoption {

    /**
     * Records a task (source {@code kubernetes}, phase Pending, attempt 1) for the AgentTask
     * {@code resourceName}, or returns the id of the one already recorded for that name
     * (idempotent: a reconcile repeated after a failed status patch adopts nothing twice).
     *
     * @param resourceName the AgentTask's {@code metadata.name} (the task's {@code resourceName})
     * @param threadId the parent thread its result goes back to
     * @param spec what it was asked to do; null fields take the defaults
     * @return the task's id
     */
    UUID adopt(String resourceName, String threadId, TaskSpec spec);
}
