package io.mainloop.agent.service;

import io.mainloop.support.ledger.ProcessedEventRepository;
import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Records a cancel (once per command id) in the turn ledger, where the replica following the
 * turn finds it within a second, and where a turn begun later (after a restart) finds it before
 * it runs.
 */
@ApplicationScoped
public class CancelService {

    @Inject
    ProcessedEventRepository processedEvents;

    @Inject
    TurnRepository turns;

    /** Records {@code cancel} unless its event id was processed before. */
    @Transactional
    public void record(AgentCommand.CancelTurn cancel) {
        if (processedEvents.markProcessed(cancel.eventId(), Topics.AGENT_COMMANDS)) {
            turns.requestCancel(cancel.turnId(), cancel.threadId());
        }
    }
}
