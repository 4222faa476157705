package io.mainloop.agent.messaging;

import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.agent.service.RunningTurns;
import io.mainloop.agent.service.TurnRunner;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.TurnRequested;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code mainloop.agent.turns}: runs each turn once, one at a time and in order. The
 * record is acknowledged only after the turn's final event is out, so a turn interrupted by a
 * crash or a shutdown runs again after the restart (a CLI the crash left behind is killed first).
 */
@ApplicationScoped
public class TurnConsumer {

    private static final Logger LOG = Logger.getLogger(TurnConsumer.class);

    @Inject
    TurnRepository turns;

    @Inject
    TurnRunner runner;

    @Inject
    RunningTurns running;

    @Incoming("agent-turns")
    @Blocking
    public CompletionStage<Void> onTurn(Message<TurnRequested> message) {
        TurnRequested turn = message.getPayload();
        TurnRepository.Begin begin = turns.begin(turn.turnId(), turn.threadId());
        if (!begin.run()) {
            return message.ack(); // finished before: a redelivery
        }
        if (begin.leftoverPid() != null && running.killLeftover(begin.leftoverPid())) {
            LOG.infof("turn %s: killed the CLI (pid %d) left by the attempt before a crash", turn.turnId(),
                    begin.leftoverPid());
        }
        Optional<AgentEvent> terminal = runner.run(turn);
        if (terminal.isEmpty()) {
            LOG.infof("turn %s interrupted by shutdown; it runs again after the restart", turn.turnId());
            return CompletableFuture.completedFuture(null); // not acknowledged
        }
        turns.finish(turn.turnId(), terminal.get() instanceof AgentEvent.TurnCompleted);
        return message.ack();
    }
}
