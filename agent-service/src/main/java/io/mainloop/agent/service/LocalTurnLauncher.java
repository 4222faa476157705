package io.mainloop.agent.service;

import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.agent.warm.WarmPool;
import io.mainloop.contracts.TurnKind;
import io.mainloop.contracts.TurnRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Runs a turn's CLI as a local process group (started through {@code setsid}) in the thread's
 * workspace, in Claude Code's sandbox, writing to the turn's files ({@link TurnFiles}): it outlives
 * a crash of agent-service, which finds it again by its pid and session id. A turn takes the CLI
 * its thread's previous turn started ahead of it when that fits ({@link WarmPool}). The embedded
 * default, and the way heartbeat turns (no tools) always run.
 */
@ApplicationScoped
public class LocalTurnLauncher implements TurnLauncher {

    @Inject
    ClaudeCliCommand cli;

    @Inject
    WarmPool warmPool;

    @Override
    public Optional<Refusal> refusal() {
        if (!cli.isAvailable()) {
            return Optional.of(new Refusal(true, "The Claude Code CLI was not found (" + cli.executable()
                    + "). ./mainloop up installs the pinned version; or set MAINLOOP_AGENT_CLAUDE_PATH to a claude executable."));
        }
        if (!cli.sandboxAvailable()) {
            return Optional.of(new Refusal(false, "The assistant's sandbox needs bubblewrap and socat "
                    + "(Debian: apt-get install bubblewrap socat); or set MAINLOOP_AGENT_SANDBOX_ENABLED=false to run "
                    + "it unsandboxed."));
        }
        return Optional.empty();
    }

    @Override
    public Optional<TurnCli> findRunning(TurnRequested turn, TurnRepository.Begin begin) {
        Optional<ProcessHandle> live = begin.leftoverPid() == null ? Optional.empty()
                : TurnProcess.find(begin.leftoverPid(), begin.sessionId().toString());
        if (live.isEmpty() && begin.attempt() > 1) {
            live = TurnProcess.findBySession(begin.sessionId().toString()); // its pid was never recorded
        }
        return live.map(handle -> TurnProcess.attached(handle, begin.sessionId()));
    }

    @Override
    public boolean hasResult(TurnRequested turn, TurnRepository.Begin begin) {
        try (var lines = Files.lines(files(turn).output(), StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.startsWith("{") && l.contains("\"type\":\"result\""));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Whether the CLI wrote more than its start-up lines ({@code system}, and the
     * {@code control_response} lines answering a warm CLI's requests at start): its session then holds the turn.
     */
    @Override
    public boolean hasOutput(TurnRequested turn, TurnRepository.Begin begin) {
        try (var lines = Files.lines(files(turn).output(), StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.startsWith("{") && !l.contains("\"type\":\"system\"")
                    && !StreamJsonMapper.isControlResponse(l));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Hands the turn to the CLI started ahead of it for the thread ({@link WarmPool}) when one
     * fits (a first attempt, not a heartbeat, the same flags), else starts one for it (a cold start).
     */
    @Override
    public TurnCli start(TurnRequested turn, TurnRepository.Begin begin, UUID sessionId, boolean resume)
            throws IOException {
        TurnFiles files = files(turn);
        if (!resume && begin.attempt() == 1 && turn.kind() != TurnKind.HEARTBEAT) {
            Optional<TurnCli> warm = warmPool.take(turn, files);
            if (warm.isPresent()) {
                return warm.get();
            }
        }
        return TurnProcess.started(cli.build(turn, sessionId, files, resume).start(), sessionId, false);
    }

    /** Starts the thread's next CLI ahead of its next turn (not after a heartbeat: those run cold). */
    @Override
    public void release(TurnRequested turn) {
        if (turn.kind() != TurnKind.HEARTBEAT) {
            warmPool.prepare(turn.threadId());
        }
    }

    @Override
    public TurnOutput output(TurnRequested turn, TurnRepository.Begin begin, TurnCli running, BooleanSupplier stop)
            throws IOException {
        return new OutputTail(files(turn).output(), () -> running != null && running.isAlive(), stop);
    }

    @Override
    public String errorTail(TurnRequested turn, TurnRepository.Begin begin) {
        try {
            return StderrTail.of(files(turn).stderr());
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void stopLeftover(TurnRequested turn, TurnRepository.Begin begin) {
        if (begin.leftoverPid() != null) {
            TurnProcess.find(begin.leftoverPid(), begin.sessionId().toString()).ifPresent(TurnProcess::killGroup);
        }
    }

    private TurnFiles files(TurnRequested turn) throws IOException {
        return cli.files(turn);
    }
}
