package io.mainloop.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.messaging.AgentEventPublisher;
import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.AgentEvent.FailureReason;
import io.mainloop.contracts.TurnRequested;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one turn with the real Claude Code CLI and publishes what happens as it happens:
 * {@code turn.started} as soon as the process runs, then text deltas, tool calls and results,
 * and finally exactly one {@code turn.completed} or {@code turn.failed} (missing CLI, no
 * credentials, API error, timeout, cancel, or the CLI's own error), which is acknowledged by
 * Kafka before this method returns. Never hangs past {@code mainloop.agent.turn-timeout}.
 */
@ApplicationScoped
public class TurnRunner {

    private static final Logger LOG = Logger.getLogger(TurnRunner.class);
    private static final int STDERR_TAIL_CHARS = 600;

    @Inject
    AgentConfig config;

    @Inject
    ClaudeCliCommand cli;

    @Inject
    RunningTurns running;

    @Inject
    TurnRepository turns;

    @Inject
    AgentEventPublisher publisher;

    @Inject
    ObjectMapper json;

    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("turn-timeouts").factory());

    /**
     * Runs {@code turn} to its end.
     *
     * @return the final event, already published; empty if this service is shutting down, in
     *         which case nothing final is published and the turn runs again after the restart
     */
    public Optional<AgentEvent> run(TurnRequested turn) {
        long start = System.nanoTime();
        UUID sessionId = UUID.randomUUID();
        Process process;
        Path stderr;
        Instant processStarted;
        try {
            if (!cli.isAvailable()) {
                return finish(failed(turn, FailureReason.CLI_MISSING, "The Claude Code CLI was not found ("
                        + cli.executable() + "). ./mainloop up installs the pinned version; or set "
                        + "MAINLOOP_AGENT_CLAUDE_PATH to a claude executable.", start));
            }
            ProcessBuilder builder = cli.build(turn, sessionId);
            stderr = Path.of(builder.environment().get("TMPDIR"), "claude-stderr.log");
            process = builder.redirectError(stderr.toFile()).start();
            processStarted = Instant.now();
        } catch (IOException e) {
            return finish(failed(turn, FailureReason.CLI_MISSING, "Claude Code could not be started: " + e.getMessage(),
                    start));
        }
        TurnProcess turnProcess = new TurnProcess(process);
        running.add(turn.turnId(), turnProcess);
        ScheduledFuture<?> timeout = timeouts.schedule(() -> turnProcess.kill(TurnProcess.Ending.TIMED_OUT),
                config.turnTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            publisher.send(new AgentEvent.TurnStarted(UUID.randomUUID(), processStarted, AgentEvent.SCHEMA_VERSION,
                    turn.threadId(), turn.turnId(), sessionId.toString(), config.model().orElse(null)));
            turns.started(turn.turnId(), process.pid());
            StreamJsonMapper mapper = new StreamJsonMapper(turn.threadId(), turn.turnId());
            writePrompt(process, turn.prompt());
            AgentEvent published = readEvents(process, turnProcess, mapper);
            int exit = process.waitFor();
            if (published != null) {
                return Optional.of(published);
            }
            if (turnProcess.ending() == TurnProcess.Ending.SHUTDOWN) {
                return Optional.empty();
            }
            return finish(outcome(turn, turnProcess, mapper, exit, stderr, start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turnProcess.kill(TurnProcess.Ending.SHUTDOWN);
            return Optional.empty();
        } finally {
            timeout.cancel(false);
            running.remove(turn.turnId());
        }
    }

    private void writePrompt(Process process, String prompt) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(prompt.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debugf("the CLI closed stdin early: %s", e.getMessage());
        }
    }

    /**
     * Publishes the CLI's events as its lines arrive. Its final {@code result} line is published
     * at once (the owner sees the turn end without waiting for the CLI to exit), unless the turn
     * was being cancelled, timed out or shut down.
     *
     * @return the final event if it was published here, else null
     */
    private AgentEvent readEvents(Process process, TurnProcess turnProcess, StreamJsonMapper mapper) {
        AgentEvent published = null;
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(line);
                } catch (IOException notJson) {
                    continue;
                }
                for (AgentEvent event : mapper.map(node)) {
                    boolean terminal = event instanceof AgentEvent.TurnCompleted || event instanceof AgentEvent.TurnFailed;
                    if (!terminal) {
                        publisher.send(event);
                    } else if (published == null && turnProcess.ending() == null) {
                        publisher.sendAndAwait(event);
                        published = event;
                    }
                }
            }
        } catch (IOException killed) {
            // the process was killed: the outcome says why
        }
        return published;
    }

    private AgentEvent outcome(TurnRequested turn, TurnProcess process, StreamJsonMapper mapper, int exit, Path stderr,
                               long start) {
        if (process.ending() == TurnProcess.Ending.CANCELLED) {
            return failed(turn, FailureReason.CANCELLED, "Cancelled by the owner.", start);
        }
        if (process.ending() == TurnProcess.Ending.TIMED_OUT) {
            return failed(turn, FailureReason.TIMEOUT, "The turn ran longer than " + config.turnTimeout().toSeconds()
                    + " s and was stopped.", start);
        }
        if (mapper.terminal() != null) {
            return mapper.terminal();
        }
        String err = tail(stderr);
        if (exit == 127) {
            return failed(turn, FailureReason.CLI_MISSING, "The Claude Code CLI could not be run: " + err, start);
        }
        String lower = err.toLowerCase(java.util.Locale.ROOT);
        FailureReason reason = lower.contains("login") || lower.contains("api key") ? FailureReason.NOT_LOGGED_IN
                : FailureReason.CLI_ERROR;
        return failed(turn, reason, "Claude Code exited with code " + exit + (err.isEmpty() ? "" : ": " + err), start);
    }

    private Optional<AgentEvent> finish(AgentEvent terminal) {
        publisher.sendAndAwait(terminal);
        return Optional.of(terminal);
    }

    private static AgentEvent.TurnFailed failed(TurnRequested turn, FailureReason reason, String message, long start) {
        return new AgentEvent.TurnFailed(UUID.randomUUID(), Instant.now(), AgentEvent.SCHEMA_VERSION, turn.threadId(),
                turn.turnId(), reason, message, (System.nanoTime() - start) / 1_000_000);
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.length() <= STDERR_TAIL_CHARS ? text : "..." + text.substring(text.length() - STDERR_TAIL_CHARS);
        } catch (IOException e) {
            return "";
        }
    }

    @PreDestroy
    void stop() {
        timeouts.shutdownNow();
    }
}
