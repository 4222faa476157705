package io.mainloop.scheduler.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.CompactionRequested;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * The transactional outbox (table {@code outbox}): events to publish, written in the caller's
 * transaction, read back in order per thread and marked sent once Kafka acknowledged them. Event
 * ids are unique, so recording the same (deterministic) event twice stores it once.
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

    /**
     * Adds {@code event} within the caller's transaction unless an event with its id is there already.
     *
     * @return true if it was added, false if its id was known (a repeated firing)
     * @throws IllegalArgumentException if scheduler-service does not publish this kind of event
     */
    public boolean addIfAbsent(ThreadEvent event) {
        try {
            return em.createNativeQuery("""
                            INSERT INTO outbox (thread_id, topic, event_id, payload) VALUES (?1, ?2, ?3, ?4)
                            ON CONFLICT (event_id) DO NOTHING""")
                    .setParameter(1, event.threadId()).setParameter(2, topicOf(event))
                    .setParameter(3, event.eventId()).setParameter(4, json.writeValueAsString(event))
                    .executeUpdate() == 1;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + event, e);
        }
    }

    /** The thread's unsent rows, oldest first, locked until the caller's transaction ends. */
    @SuppressWarnings("unchecked")
    public List<Entry> lockUnsent(String threadId) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT seq, topic, payload FROM outbox WHERE thread_id = ?1 AND sent_at IS NULL
                        ORDER BY seq FOR UPDATE""")
                .setParameter(1, threadId).getResultList();
        return rows.stream().map(r -> new Entry(((Number) r[0]).longValue(), (String) r[1], (String) r[2])).toList();
    }

    /**
     * Marks {@code entries} (rows this transaction locked) as sent. Only those: a row with a lower
     * seq committed later may be locked by another relay, and touching it could deadlock.
     */
    public void markSent(List<Entry> entries) {
        em.createNativeQuery("UPDATE outbox SET sent_at = now() WHERE seq = ANY(?1)")
                .setParameter(1, entries.stream().mapToLong(Entry::seq).toArray()).executeUpdate();
    }

    /** Threads with unsent rows older than {@code seconds} (left by a failed publish or a crash). */
    @SuppressWarnings("unchecked")
    public List<String> threadsWithUnsentOlderThan(int seconds) {
        return em.createNativeQuery("""
                        SELECT DISTINCT thread_id FROM outbox
                        WHERE sent_at IS NULL AND created_at < now() - make_interval(secs => ?1)""")
                .setParameter(1, seconds).getResultList();
    }

    /** Deletes rows sent before {@code before}; returns how many. */
    public int deleteSentBefore(Instant before) {
        return em.createNativeQuery("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?1")
                .setParameter(1, before).executeUpdate();
    }

    /** The topic an event goes to. */
    static String topicOf(ThreadEvent event) {
        return switch (event) {
            case ScheduleFired e -> Topics.SCHEDULE_FIRED;
            case CompactionRequested e -> Topics.MEMORY_COMPACTION;
            default -> throw new IllegalArgumentException("scheduler-service does not publish " + event.getClass());
        };
    }
}
