package io.mainloop.memory.service;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.messaging.OutboxRelay;
import io.mainloop.memory.repository.ThreadStateRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Resolves a turn whose end never arrives (lost, or agent-service gone): every
 * {@code mainloop.memory.stale-turn-check}, a thread whose active turn was requested longer ago
 * than the turn timeout plus a margin gets a visible system message, the agent is asked to
 * cancel the turn, and the thread's next waiting messages get their turn.
 */
@ApplicationScoped
public class StaleTurnSweeper {

    private static final Logger LOG = Logger.getLogger(StaleTurnSweeper.class);

    @Inject
    MemoryConfig config;

    @Inject
    ThreadStateRepository states;

    @Inject
    ConversationService conversation;

    @Inject
    OutboxRelay relay;

    @Scheduled(every = "${mainloop.memory.stale-turn-check:30s}", delayed = "${mainloop.memory.stale-turn-check:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant cutoff = Instant.now().minus(config.turnTimeout()).minus(config.staleTurnMargin());
        try {
            for (String thread : states.withActiveTurnBefore(cutoff)) {
                String explanation = "The turn did not finish: no end arrived from the agent within "
                        + describe(config.turnTimeout().plus(config.staleTurnMargin()))
                        + ", so it was given up. Send your message again to retry.";
                if (conversation.giveUpIfStale(thread, cutoff, explanation)) {
                    LOG.warnf("thread %s: gave up a turn whose end never arrived", thread);
                    relay.publishPending(thread);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("stale-turn check failed (next check retries): %s", e.getMessage());
        }
    }

    private static String describe(java.time.Duration d) {
        return d.toMinutes() >= 2 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
