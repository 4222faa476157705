package io.mainloop.memory.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * The transactional outbox (table {@code outbox}): events to publish, written in the caller's
 * transaction, read back in order per thread and deleted once Kafka acknowledged them.
 */
@ApplicationScoped
public class OutboxRepository {

    /**
     * A row of the outbox.
     *
     * @param seq its position (publish order)
     * @param topic the Kafka topic
     * @param payload the event JSON
     */
    public record Entry(long seq, String topic, String payload) {
    }

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    /** Adds {@code events}, in this order, within the caller's transaction. */
    public void add(List<? extends ThreadEvent> events) {
        for (ThreadEvent event : events) {
            try {
                em.createNativeQuery("INSERT INTO outbox (thread_id, topic, event_id, payload) VALUES (?1, ?2, ?3, ?4)")
                        .setParameter(1, event.threadId()).setParameter(2, topicOf(event))
                        .setParameter(3, event.eventId()).setParameter(4, json.writeValueAsString(event))
                        .executeUpdate();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize " + event, e);
            }
        }
    }

    /** The thread's pending rows, oldest first, locked until the caller's transaction ends. */
    @SuppressWarnings("unchecked")
    public List<Entry> lockPending(String threadId) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT seq, topic, payload FROM outbox WHERE thread_id = ?1 ORDER BY seq FOR UPDATE")
                .setParameter(1, threadId).getResultList();
        return rows.stream().map(r -> new Entry(((Number) r[0]).longValue(), (String) r[1], (String) r[2])).toList();
    }

    /**
     * Deletes exactly {@code entries} (the rows the caller locked and published): a row another
     * transaction committed meanwhile with a lower seq (sequence values are taken before commit)
     * stays for the next publish rather than being deleted unpublished.
     */
    public void delete(List<Entry> entries) {
        em.createNativeQuery("DELETE FROM outbox WHERE seq IN (:seqs)")
                .setParameter("seqs", entries.stream().map(Entry::seq).toList()).executeUpdate();
    }

    /** Threads with rows older than {@code seconds} (left by a failed publish or a crash). */
    @SuppressWarnings("unchecked")
    public List<String> threadsWithRowsOlderThan(int seconds) {
        return em.createNativeQuery("SELECT DISTINCT thread_id FROM outbox WHERE created_at < now() - make_interval(secs => ?1)")
                .setParameter(1, seconds).getResultList();
    }

    /** The topic an event goes to. */
    static String topicOf(ThreadEvent event) {
        return switch (event) {
            case ConversationEvent e -> Topics.CONVERSATION_EVENTS;
            case TurnRequested e -> Topics.AGENT_TURNS;
            case AgentCommand e -> Topics.AGENT_COMMANDS;
            case io.mainloop.contracts.SummaryRequested e -> Topics.AGENT_SUMMARIES;
            default -> throw new IllegalArgumentException("memory-service does not publish " + event.getClass());
        };
    }
}
