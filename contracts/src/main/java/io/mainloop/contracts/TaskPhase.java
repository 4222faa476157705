package io.mainloop.contracts;

/**
 * Where a sub-agent task is in its life, spelled as Kubernetes phases are (the AgentTask
 * resource's {@code status.phase} uses the same words).
 */
public enum TaskPhase {
    /** Accepted, waiting for a free slot (the concurrency limit) or for its Job to start. */
    Pending,
    /** Its Claude Code CLI runs. */
    Running,
    /** Waiting for the owner's answer to its question ({@code ask_owner}). */
    NeedsInput,
    /** Finished with a result. */
    Succeeded,
    /** Finished without a result (error, timeout, cost cap). */
    Failed,
    /** Stopped by the owner, the assistant or an operator. */
    Cancelled;

    /** Whether the task has ended for good (a retry starts it again). */
    public boolean finished() {
        return this == Succeeded || this == Failed || this == Cancelled;
    }
}
