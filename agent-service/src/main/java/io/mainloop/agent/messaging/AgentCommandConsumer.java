package io.mainloop.agent.messaging;

import io.mainloop.agent.service.CancelService;
import io.mainloop.agent.service.RunningTurns;
import io.mainloop.contracts.AgentCommand;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.agent.commands} in the shared {@code agent-service} consumer group, so
 * a command sent while agent-service restarts is handled when it is back: a cancel is recorded in
 * the turn ledger (the replica that follows the turn sees it within a second) and, when this
 * replica follows the turn, acted on at once. A failure to record (database unreachable) is
 * retried in place.
 */
@ApplicationScoped
public class AgentCommandConsumer {

    private static final Logger LOG = Logger.getLogger(AgentCommandConsumer.class);

    @Inject
    RunningTurns running;

    @Inject
    CancelService cancels;

    @Incoming("agent-commands")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onCommand(AgentCommand command) {
        switch (command) {
            case AgentCommand.CancelTurn cancel -> {
                boolean here = running.cancel(cancel.turnId());
                cancels.record(cancel);
                LOG.infof("cancel of turn %s: %s", cancel.turnId(), here ? "stopped" : "recorded");
            }
        }
    }
}
