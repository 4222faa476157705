package io.mainloop.memory.repository;

import io.mainloop.support.jdbc.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The owner's heartbeat checklist, {@code HEARTBEAT.md} (table {@code heartbeat_checklist}), one per thread. */
@ApplicationScoped
public class HeartbeatChecklistRepository {

    /**
     * A stored checklist.
     *
     * @param checklist its markdown
     * @param updatedAt when it was last written
     */
    public record Checklist(String checklist, Instant updatedAt) {
    }

    @Inject
    EntityManager em;

    /** The thread's checklist, if it was ever written. */
    public Optional<Checklist> find(String threadId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT checklist, updated_at FROM heartbeat_checklist WHERE thread_id = ?1")
                .setParameter(1, threadId).getResultList();
        return rows.stream().findFirst().map(r -> new Checklist((String) r[0], Timestamps.instant(r[1])));
    }

    /** Writes the thread's checklist. */
    public Checklist put(String threadId, String checklist, Instant now) {
        em.createNativeQuery("""
                        INSERT INTO heartbeat_checklist (thread_id, checklist, updated_at) VALUES (?1, ?2, ?3)
                        ON CONFLICT (thread_id) DO UPDATE SET checklist = EXCLUDED.checklist, updated_at = EXCLUDED.updated_at""")
                .setParameter(1, threadId).setParameter(2, checklist).setParameter(3, now).executeUpdate();
        return new Checklist(checklist, now);
    }
}
