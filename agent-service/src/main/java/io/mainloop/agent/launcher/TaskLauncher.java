package io.mainloop.agent.launcher;

import io.mainloop.agent.task.TaskEntity;

/**
 * Runs sub-agent tasks somewhere: local child processes ({@link LocalTaskLauncher}, the embedded
 * default) or Kubernetes Jobs owned by AgentTask resources ({@code mainloop.agent.tasks.mode=kubernetes}).
 * A launcher reports what happens through {@link io.mainloop.agent.task.TaskStatusSink}; it never
 * changes a task row itself.
 */
public interface TaskLauncher {

    /** Starts {@code task} (its phase is Running, its attempt and session id set); returns at once. */
    void start(TaskEntity task);

    /** Stops {@code task} if it runs; the sink hears {@code finished(Cancelled)} once it stopped. */
    void cancel(TaskEntity task);

    /**
     * Picks up {@code task}, found Running after agent-service restarted: follows it if it still
     * runs, reads its result if it finished meanwhile, else reports it failed (or resumes it).
     */
    void reattach(TaskEntity task);
}
