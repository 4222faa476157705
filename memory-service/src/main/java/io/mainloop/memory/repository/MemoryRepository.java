package io.mainloop.memory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads and writes {@link MemoryEntity}. */
@ApplicationScoped
public class MemoryRepository implements PanacheRepositoryBase<MemoryEntity, UUID> {

    /**
     * Stores {@code memory} unless the thread has one with its id, or of its kind with the same
     * text (case-insensitive).
     *
     * @return true if it was new
     */
    public boolean insertIfNew(MemoryEntity memory) {
        int inserted = getEntityManager().createNativeQuery("""
                        INSERT INTO memory (id, thread_id, kind, text, origin, source_message_id, source_summary_id,
                            created_at, supersedes, expires_at, pinned)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING""")
                .setParameter(1, memory.id).setParameter(2, memory.threadId).setParameter(3, memory.kind.name())
                .setParameter(4, memory.text).setParameter(5, memory.origin.name())
                .setParameter(6, memory.sourceMessageId).setParameter(7, memory.sourceSummaryId)
                .setParameter(8, memory.createdAt).setParameter(9, memory.supersedes)
                .setParameter(10, memory.expiresAt).setParameter(11, memory.pinned)
                .executeUpdate();
        return inserted == 1;
    }

    /** The memory of {@code threadId} with {@code id}, or null. */
    public MemoryEntity find(String threadId, UUID id) {
        MemoryEntity memory = findById(id);
        return memory != null && memory.threadId.equals(threadId) ? memory : null;
    }

    /** The thread's memories, newest first, optionally of one kind; current ones only unless {@code all}. */
    public List<MemoryEntity> list(String threadId, MemoryEntity.Kind kind, boolean all, Instant now, int max) {
        StringBuilder query = new StringBuilder("threadId = :thread");
        var params = io.quarkus.panache.common.Parameters.with("thread", threadId);
        if (kind != null) {
            query.append(" and kind = :kind");
            params.and("kind", kind);
        }
        if (!all) {
            query.append(" and supersededBy is null and (expiresAt is null or expiresAt > :now)");
            params.and("now", now);
        }
        return find(query.toString(), Sort.descending("createdAt").and("id"), params).page(0, max).list();
    }

    /** Current pinned memories, newest first. */
    public List<MemoryEntity> pinned(String threadId, Instant now, int max) {
        return find("threadId = ?1 and pinned = true and supersededBy is null and (expiresAt is null or expiresAt > ?2)",
                Sort.descending("createdAt").and("id"), threadId, now).page(0, max).list();
    }

    /** Current memories of {@code kinds}, not pinned, newest first. */
    public List<MemoryEntity> recent(String threadId, List<MemoryEntity.Kind> kinds, Instant now, int max) {
        return find("threadId = ?1 and pinned = false and kind in ?2 and supersededBy is null "
                        + "and (expiresAt is null or expiresAt > ?3)",
                Sort.descending("createdAt").and("id"), threadId, kinds, now).page(0, max).list();
    }
}
