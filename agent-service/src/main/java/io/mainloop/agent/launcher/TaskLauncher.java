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

    /**
     * The task's log (the CLI's stream-json lines) after {@code position}, whole lines only, as far
     * as written now. Read again from {@link LogChunk#next} to follow it live.
     *
     * @param position 0 for the start, else a {@link LogChunk#next} this launcher returned
     */
    LogChunk readLog(java.util.UUID taskId, long position) throws java.io.IOException;

    /**
     * Lines of a task's log.
     *
     * @param lines whole lines, in order (possibly none)
     * @param next where the next read continues
     */
    record LogChunk(java.util.List<String> lines, long next) {
    }

    /** How often a follower of a running task's log reads it again, ms. */
    default long logPollMs() {
        return 200;
    }
}
