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
