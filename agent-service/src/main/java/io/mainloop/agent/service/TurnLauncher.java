package io.mainloop.agent.service;

import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.contracts.TurnRequested;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Where a turn's CLI runs: a local process group in the thread's workspace ({@link LocalTurnLauncher},
 * the embedded default) or a pod of its own per turn ({@code mainloop.agent.turns.mode=kubernetes},
 * {@code io.mainloop.agent.turnpod.PodTurnLauncher}). {@link TurnRunner} does the rest the same way
 * for both: the events, the deadline, cancel, and re-attaching after a restart of agent-service.
 */
public interface TurnLauncher {

    /** Why a turn cannot start here (the CLI or the sandbox missing), or empty when it can. */
    Optional<Refusal> refusal();

    /**
     * A refusal: the failure reason and the owner-facing message.
     *
     * @param cliMissing whether the CLI itself is missing (else: an error of the set-up)
     * @param message what to tell the owner
     */
    record Refusal(boolean cliMissing, String message) {
    }

    /** The CLI an earlier attempt of {@code turn} left running, if any. */
    Optional<TurnCli> findRunning(TurnRequested turn, TurnRepository.Begin begin);

    /** Whether an earlier attempt's CLI ended with its final {@code result} line (nothing left to run). */
    boolean hasResult(TurnRequested turn, TurnRepository.Begin begin);

    /** Whether an earlier attempt's CLI wrote any output (so the next one resumes its session). */
    boolean hasOutput(TurnRequested turn, TurnRepository.Begin begin);

    /**
     * Starts the CLI of {@code turn}.
     *
     * @param sessionId the Claude Code session id (chosen up front)
     * @param resume whether to resume that session ({@code --resume}): an earlier CLI died mid-turn
     * @throws IOException if it cannot be started
     */
    TurnCli start(TurnRequested turn, TurnRepository.Begin begin, UUID sessionId, boolean resume) throws IOException;

    /**
     * The CLI's output of all attempts of the turn, in order, followed while {@code cli} runs.
     *
     * @param cli the running CLI, or null when the last attempt has ended (read what it wrote)
     * @param stop true when this service shuts down: the output ends at once, the CLI runs on
     */
    TurnOutput output(TurnRequested turn, TurnRepository.Begin begin, TurnCli cli, BooleanSupplier stop)
            throws IOException;

    /** The end of what the CLI wrote that is not stream-json (its error output), for a failure message. */
    String errorTail(TurnRequested turn, TurnRepository.Begin begin);

    /** Stops what an earlier attempt left running (the turn was cancelled before it could be followed). */
    void stopLeftover(TurnRequested turn, TurnRepository.Begin begin);

    /** Called once the turn's final event is published: frees what the turn held (a pod). Never throws. */
    default void release(TurnRequested turn) {
    }
}
