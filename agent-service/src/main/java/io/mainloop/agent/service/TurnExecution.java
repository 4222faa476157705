package io.mainloop.agent.service;

import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.TurnRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.jboss.logging.Logger;

/**
 * One turn request, processed to its end exactly once: skipped if the turn finished before (a
 * redelivery), else run or re-attached ({@link TurnRunner}) and recorded as finished. A failure
 * here (database unreachable, publish timeout) is retried in place, with exponential backoff from
 * 0.5 s up to 10 s, for as long as it takes: the record is never dead-lettered, the next turn of
 * the thread waits, and each retry re-attaches to the same CLI rather than running the turn again.
 * Retries are logged and counted ({@code ft.retry.*} in {@code /q/metrics}).
 */
@ApplicationScoped
public class TurnExecution {

    private static final Logger LOG = Logger.getLogger(TurnExecution.class);

    @Inject
    TurnRepository turns;

    @Inject
    TurnRunner runner;

    @Inject
    RunningTurns running;

    /**
     * Processes {@code turn}.
     *
     * @return true when the turn is finished (acknowledge the record), false when this service is
     *         shutting down (leave it unacknowledged: it is re-attached after the restart)
     */
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200, abortOn = ShuttingDown.class)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public boolean process(TurnRequested turn) {
        try {
            if (running.stopping()) {
                return false;
            }
            TurnRepository.Begin begin = turns.begin(turn.turnId(), turn.threadId());
            if (!begin.run()) {
                return true; // finished before: a redelivery
            }
            Optional<AgentEvent> terminal = runner.run(turn, begin);
            if (terminal.isEmpty()) {
                LOG.infof("turn %s left running at shutdown; it is re-attached after the restart", turn.turnId());
                return false;
            }
            turns.finish(turn.turnId(), terminal.get() instanceof AgentEvent.TurnCompleted);
            LOG.infof("turn %s of thread %s: %s", turn.turnId(), turn.threadId(),
                    terminal.get() instanceof AgentEvent.TurnFailed failed ? "failed, " + failed.reason() : "completed");
            return true;
        } catch (RuntimeException e) {
            if (running.stopping()) {
                throw new ShuttingDown();
            }
            LOG.warnf("turn %s: %s; retrying", turn.turnId(), e.toString());
            throw e;
        }
    }

    /** Ends the retries: the service stops, the record stays unacknowledged. */
    public static final class ShuttingDown extends RuntimeException {
        ShuttingDown() {
            super("agent-service is shutting down", null, false, false);
        }
    }
}
