package io.mainloop.memory.repository;

import io.mainloop.support.jdbc.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The thread's core blocks (table {@code core_block}): {@code persona} and {@code owner}. */
@ApplicationScoped
public class CoreBlockRepository {

    /**
     * A stored core block.
     *
     * @param name {@code persona} or {@code owner}
     * @param text its text
     * @param updatedAt when it was last written
     */
    public record CoreBlock(String name, String text, Instant updatedAt) {
    }

    @Inject
    EntityManager em;

    /** The block, if it was ever written. */
    public Optional<CoreBlock> find(String threadId, String name) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT name, text, updated_at FROM core_block WHERE thread_id = ?1 AND name = ?2")
                .setParameter(1, threadId).setParameter(2, name).getResultList();
        return rows.stream().findFirst().map(r -> new CoreBlock((String) r[0], (String) r[1], Timestamps.instant(r[2])));
    }

    /** Writes the block. */
    public CoreBlock put(String threadId, String name, String text, Instant now) {
        em.createNativeQuery("""
                        INSERT INTO core_block (thread_id, name, text, updated_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (thread_id, name) DO UPDATE SET text = EXCLUDED.text, updated_at = EXCLUDED.updated_at""")
                .setParameter(1, threadId).setParameter(2, name).setParameter(3, text).setParameter(4, now)
                .executeUpdate();
        return new CoreBlock(name, text, now);
    }
}
