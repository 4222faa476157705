package io.mainloop.agent.service;

import java.util.OptionalInt;

/**
 * The Claude Code CLI of one turn, wherever it runs: a local process group ({@link TurnProcess})
 * or a pod of its own ({@code io.mainloop.agent.turnpod.TurnPod}). Records why it was stopped,
 * if it was; the first reason wins.
 */
public interface TurnCli {

    /** The local process group id, recorded in the turn ledger to find it after a restart; 0 for a pod. */
    long pid();

    /** The Claude Code session it runs (recorded in the ledger: a later attempt finds or resumes it by this id). */
    java.util.UUID sessionId();

    /** Whether it was started ahead of the turn (true) or for it (false); null when not known (re-attached). */
    default Boolean warm() {
        return null;
    }

    /** Whether it still runs (a pod: not yet ended). */
    boolean isAlive();

    /** Its exit code once it has ended, if known (empty for a re-attached local process). */
    OptionalInt exitCode();

    /** Waits up to {@code ms} for it to end. */
    void awaitExit(long ms) throws InterruptedException;

    /** Why it was stopped, or null if it was not. */
    TurnProcess.Ending ending();

    /** Stops it (a local process group is SIGKILLed, a pod deleted at once) and records why. */
    void kill(TurnProcess.Ending why);
}
