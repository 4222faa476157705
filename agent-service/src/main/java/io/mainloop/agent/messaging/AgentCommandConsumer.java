package io.mainloop.agent.messaging;

import io.mainloop.agent.service.RunningTurns;
import io.mainloop.contracts.AgentCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.agent.commands} with a consumer group of this replica's own, so every
 * replica sees every command and the one running the turn acts on it.
 */
@ApplicationScoped
public class AgentCommandConsumer {

    private static final Logger LOG = Logger.getLogger(AgentCommandConsumer.class);

    @Inject
    RunningTurns running;

    @Incoming("agent-commands")
    public void onCommand(AgentCommand command) {
        switch (command) {
            case AgentCommand.CancelTurn cancel -> {
                boolean here = running.cancel(cancel.turnId());
                LOG.infof("cancel of turn %s: %s", cancel.turnId(), here ? "stopped" : "not running here");
            }
        }
    }
}
