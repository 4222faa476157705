package io.mainloop.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.config.TurnsConfig;
import io.mainloop.agent.turnpod.PodTurnLauncher;
import io.mainloop.contracts.TurnKind;
import jakarta.enterprise.inject.Instance;
import io.mainloop.agent.messaging.AgentEventPublisher;
import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.AgentEvent.FailureReason;
import io.mainloop.contracts.TurnRequested;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one turn with the real Claude Code CLI and publishes what happens as it happens:
 * {@code turn.started}, then text deltas, tool calls and results, and finally exactly one
 * {@code turn.completed} or {@code turn.failed} (missing CLI, no credentials, API error, timeout,
 * cancel, the CLI's own error, or a failure here, after which the CLI's process group is killed),
 * acknowledged by Kafka before this method returns.
 *
 * <p>The CLI runs where its {@link TurnLauncher} puts it (a local process group writing to the
 * turn's files, or a pod of its own per turn whose log is followed). A turn begun again after agent-service restarted mid-turn does not start over:
 * it re-attaches to the CLI if it still runs, reads what it wrote if it finished, and resumes its
 * Claude Code session ({@code --resume}) if it died mid-turn; re-read events keep their ids, so
 * consumers drop them as duplicates and no tool runs twice. The deadline
 * ({@code mainloop.agent.turn-timeout}) counts from the first attempt.
 */
@ApplicationScoped
public class TurnRunner {

    private static final Logger LOG = Logger.getLogger(TurnRunner.class);
    private static final long CANCEL_CHECK_MS = 1000;

    @Inject
    AgentConfig config;

    @Inject
    TurnsConfig turnsConfig;

    @Inject
    LocalTurnLauncher local;

    @Inject
    Instance<PodTurnLauncher> pods;

    @Inject
    RunningTurns running;

    @Inject
    TurnRepository turns;

    @Inject
    AgentEventPublisher publisher;

    @Inject
    ObjectMapper json;

    /** How long a CLI may run on after its answer before it is stopped, ms. */
    static final long EXIT_AFTER_ANSWER_MS = 10_000;

    /** Deadline kills only: never delayed by a slow database. */
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().daemon().name("turn-timers").factory());

    /** Cancel checks (a database query each): apart from the deadlines. */
    private final ScheduledExecutorService cancelChecks = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().daemon().name("turn-cancel-checks").factory());

    /**
     * Runs (or re-attaches to) {@code turn} until its end.
     *
     * @param begin what the turn ledger knows of earlier attempts
     * @return the final event, already published; empty if this service is shutting down, in
     *         which case nothing final is published, the CLI keeps running, and the turn is
     *         re-attached after the restart
     * @throws RuntimeException if the final event cannot be published (the caller retries)
     */
    public Optional<AgentEvent> run(TurnRequested turn, TurnRepository.Begin begin) {
        TurnLauncher launcher = launcherFor(turn);
        Optional<AgentEvent> terminal = runWith(launcher, turn, begin);
        if (terminal.isPresent()) {
            launcher.release(turn);
        }
        return terminal;
    }

    /** Where {@code turn} runs: in a pod of its own in Kubernetes turn mode (but a heartbeat, which has no tools), else here. */
    TurnLauncher launcherFor(TurnRequested turn) {
        if (turnsConfig.kubernetes() && turn.kind() != TurnKind.HEARTBEAT) {
            return pods.get();
        }
        return local;
    }

    private Optional<AgentEvent> runWith(TurnLauncher launcher, TurnRequested turn, TurnRepository.Begin begin) {
        long start = System.nanoTime();
        if (begin.cancelRequested()) {
            launcher.stopLeftover(turn, begin);
            return finish(failed(turn, FailureReason.CANCELLED, "Cancelled by the owner.", start));
        }
        TurnCli process;
        Instant processStarted = null;
        try {
            Optional<TurnCli> live = launcher.findRunning(turn, begin);
            if (live.isPresent()) {
                LOG.infof("turn %s: re-attached to its running CLI (%s)", turn.turnId(), live.get());
                process = live.get();
            } else if (begin.attempt() > 1 && launcher.hasResult(turn, begin)) {
                LOG.infof("turn %s: its CLI finished while agent-service was down; reading its output", turn.turnId());
                process = null;
            } else {
                Optional<TurnLauncher.Refusal> refused = launcher.refusal();
                if (refused.isPresent()) {
                    return finish(failed(turn, refused.get().cliMissing() ? FailureReason.CLI_MISSING
                            : FailureReason.CLI_ERROR, refused.get().message(), start));
                }
                boolean resume = begin.attempt() > 1 && launcher.hasOutput(turn, begin);
                if (resume) {
                    LOG.infof("turn %s: its CLI died mid-turn; resuming session %s", turn.turnId(), begin.sessionId());
                }
                // a fresh start after an attempt that never got going takes a new session: the earlier
                // one may exist half-made, and the CLI refuses to start a session id twice
                UUID session = resume || begin.attempt() == 1 ? begin.sessionId() : UUID.randomUUID();
                process = launcher.start(turn, begin, session, resume);
                processStarted = Instant.now();
            }
        } catch (IOException e) {
            return finish(failed(turn, FailureReason.CLI_MISSING, "Claude Code could not be started: " + e.getMessage(),
                    start));
        }
        return follow(launcher, turn, begin, process, processStarted == null ? Instant.now() : processStarted, start);
    }

    /** @param startedAt when this service started the CLI, or re-attached to it */
    private Optional<AgentEvent> follow(TurnLauncher launcher, TurnRequested turn, TurnRepository.Begin begin,
                                        TurnCli process, Instant startedAt, long start) {
        ScheduledFuture<?> timeout = null;
        ScheduledFuture<?> cancelCheck = null;
        try {
            if (process != null) {
                running.add(turn.turnId(), process);
                turns.started(turn.turnId(), process.pid(), process.sessionId());
                long left = Duration.between(Instant.now(), begin.startedAt().plus(config.turnTimeout())).toMillis();
                timeout = timers.schedule(() -> process.kill(TurnProcess.Ending.TIMED_OUT), Math.max(left, 0),
                        TimeUnit.MILLISECONDS);
                cancelCheck = cancelChecks.scheduleWithFixedDelay(() -> checkCancel(turn.turnId(), process), CANCEL_CHECK_MS,
                        CANCEL_CHECK_MS, TimeUnit.MILLISECONDS);
            }
            UUID session = process != null && process.sessionId() != null ? process.sessionId() : begin.sessionId();
            publisher.send(new AgentEvent.TurnStarted(StreamJsonMapper.startedId(turn.turnId()), startedAt,
                    AgentEvent.SCHEMA_VERSION, turn.threadId(), turn.turnId(), session.toString(),
                    java.util.Optional.ofNullable(turn.model()).or(config::model).orElse(null), turn.kind(),
                    process == null ? null : process.warm()));
            StreamJsonMapper mapper = new StreamJsonMapper(turn.threadId(), turn.turnId());
            AgentEvent published;
            String otherLines;
            try (TurnOutput tail = launcher.output(turn, begin, process, running::stopping)) {
                published = readEvents(tail, process, mapper);
                otherLines = tail.otherLines();
            }
            if (running.stopping()) {
                return Optional.empty(); // the CLI runs on; the restarted service re-attaches
            }
            if (process != null) {
                process.awaitExit(EXIT_AFTER_ANSWER_MS);
                if (published != null && process.isAlive()) {
                    // answered, but it does not exit (something it started keeps it alive, or it hangs): end it
                    LOG.infof("turn %s: the CLI was still running %d s after its answer; stopping it", turn.turnId(),
                            EXIT_AFTER_ANSWER_MS / 1000);
                    process.kill(TurnProcess.Ending.FAILED);
                }
            }
            if (published != null) {
                return Optional.of(published);
            }
            return finish(outcome(launcher, turn, begin, process, mapper, otherLines, start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (running.stopping()) {
                return Optional.empty();
            }
            LOG.errorf(e, "turn %s failed in agent-service; its CLI is stopped", turn.turnId());
            if (process != null) {
                process.kill(TurnProcess.Ending.FAILED);
            }
            return finish(failed(turn, FailureReason.CLI_ERROR, "agent-service could not follow the turn: "
                    + e.getMessage(), start));
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (cancelCheck != null) {
                cancelCheck.cancel(false);
            }
            running.remove(turn.turnId());
        }
    }

    /** Kills the turn's CLI if the owner asked to cancel it (the command may have reached another replica). */
    private void checkCancel(UUID turnId, TurnCli process) {
        try {
            if (turns.cancelRequested(turnId)) {
                process.kill(TurnProcess.Ending.CANCELLED);
            }
        } catch (RuntimeException e) {
            LOG.debugf("cancel check of turn %s failed: %s", turnId, e.getMessage());
        }
    }

    /**
     * Publishes the CLI's events as its lines arrive. Its final {@code result} line is published
     * at once (the owner sees the turn end without waiting for the CLI to exit) and ends the reading,
     * unless the turn was being cancelled or timed out: a CLI that lingers after its answer holds up
     * neither the turn nor the thread's next one (the caller gives it {@value #EXIT_AFTER_ANSWER_MS} ms
     * to exit, then stops it).
     *
     * @return the final event if it was published here, else null (the CLI has exited, or this service stops)
     */
    private AgentEvent readEvents(TurnOutput tail, TurnCli process, StreamJsonMapper mapper)
            throws IOException, InterruptedException {
        String line;
        while ((line = tail.next()) != null) {
            if (!line.startsWith("{") || StreamJsonMapper.isControlResponse(line)) {
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
                } else if (process == null || process.ending() == null) {
                    publisher.sendAndAwait(event);
                    return event;
                }
            }
        }
        return null;
    }

    /** @param otherLines the non-JSON lines the output held, if the launcher kept them (a pod's log) */
    private AgentEvent outcome(TurnLauncher launcher, TurnRequested turn, TurnRepository.Begin begin, TurnCli process,
                               StreamJsonMapper mapper, String otherLines, long start) {
        TurnProcess.Ending ending = process == null ? null : process.ending();
        if (ending == TurnProcess.Ending.CANCELLED) {
            return failed(turn, FailureReason.CANCELLED, "Cancelled by the owner.", start);
        }
        if (ending == TurnProcess.Ending.TIMED_OUT) {
            return failed(turn, FailureReason.TIMEOUT, "The turn ran longer than " + config.turnTimeout().toSeconds()
                    + " s and was stopped.", start);
        }
        if (mapper.terminal() != null) {
            return mapper.terminal();
        }
        String err = launcher.errorTail(turn, begin);
        if (err.isEmpty() && otherLines != null) {
            err = StderrTail.ofText(otherLines);
        }
        OptionalInt exit = process == null ? OptionalInt.empty() : process.exitCode();
        if (exit.isPresent() && exit.getAsInt() == 127) {
            return failed(turn, FailureReason.CLI_MISSING, "The Claude Code CLI could not be run: " + err, start);
        }
        String lower = err.toLowerCase(java.util.Locale.ROOT);
        FailureReason reason = lower.contains("login") || lower.contains("api key") ? FailureReason.NOT_LOGGED_IN
                : FailureReason.CLI_ERROR;
        String how = exit.isPresent() ? "exited with code " + exit.getAsInt() : "ended without a result";
        return failed(turn, reason, "Claude Code " + how + (err.isEmpty() ? "" : ": " + err), start);
    }

    private Optional<AgentEvent> finish(AgentEvent terminal) {
        publisher.sendAndAwait(terminal);
        return Optional.of(terminal);
    }

    /** A {@code turn.failed} with the turn's end id; its message has token-shaped strings removed. */
    static AgentEvent.TurnFailed failed(TurnRequested turn, FailureReason reason, String message, long start) {
        return new AgentEvent.TurnFailed(StreamJsonMapper.endId(turn.turnId()), Instant.now(), AgentEvent.SCHEMA_VERSION,
                turn.threadId(), turn.turnId(), reason, SecretRedactor.redact(message),
                (System.nanoTime() - start) / 1_000_000, TraceIds.current());
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
        cancelChecks.shutdownNow();
    }
}
