package io.mainloop.agent.messaging;

import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.agent.service.TurnRunner;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.TurnRequested;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.agent.turns}: runs each turn once, one at a time and in order (the
 * record is acknowledged only after the turn's final event is out, so a crash mid-turn runs the
 * turn again after restart).
 */
@ApplicationScoped
public class TurnConsumer {

    @Inject
    TurnRepository turns;

    @Inject
    TurnRunner runner;

    @Incoming("agent-turns")
    @Blocking
    public void onTurn(TurnRequested turn) {
        if (!turns.begin(turn.turnId(), turn.threadId())) {
            return; // finished before: a redelivery
        }
        AgentEvent terminal = runner.run(turn);
        turns.finish(turn.turnId(), terminal instanceof AgentEvent.TurnCompleted);
    }
}
