package io.mainloop.memory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** Reads and writes {@link MessageEntity}. */
@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<MessageEntity, UUID> {

    /**
     * Stores {@code message} unless a message with its id exists.
     *
     * @return true if it was new
     */
    public boolean insertIfAbsent(MessageEntity message) {
        if (findById(message.id) != null) {
            return false;
        }
        persist(message);
        flush(); // its seq is read back by the insert (MessageEntity.seq)
        return true;
    }

    /** Most waiting messages one turn answers; more wait for the next turn. */
    public static final int MAX_FOLDED = 50;

    /**
     * Messages of {@code threadId} no turn has answered yet (the owner's, and task results waiting
     * to be reported), oldest first, at most {@link #MAX_FOLDED}.
     */
    public List<MessageEntity> waiting(String threadId) {
        return find("threadId = ?1 and role <> io.mainloop.contracts.Role.ASSISTANT and turnId is null",
                Sort.ascending("seq"), threadId).page(0, MAX_FOLDED).list();
    }

    /** Messages answered by or produced by {@code turnId}, oldest first. */
    public List<MessageEntity> ofTurn(UUID turnId) {
        return list("turnId", Sort.ascending("seq"), turnId);
    }

    /**
     * A page of history: up to {@code limit} messages before {@code beforeSeq} (all when null),
     * returned oldest first (newest last).
     */
    public List<MessageEntity> page(String threadId, Long beforeSeq, int limit) {
        List<MessageEntity> newestFirst = beforeSeq == null
                ? find("threadId", Sort.descending("seq"), threadId).page(0, limit).list()
                : find("threadId = ?1 and seq < ?2", Sort.descending("seq"), threadId, beforeSeq).page(0, limit).list();
        List<MessageEntity> page = new ArrayList<>(newestFirst);
        Collections.reverse(page);
        return page;
    }

    /** The most recent messages of {@code threadId}, newest first, excluding {@code excluded}. */
    public List<MessageEntity> recent(String threadId, List<UUID> excluded, int max) {
        var query = excluded.isEmpty()
                ? find("threadId", Sort.descending("seq"), threadId)
                : find("threadId = ?1 and id not in ?2", Sort.descending("seq"), threadId, excluded);
        return query.page(0, max).list();
    }

    /** Messages of {@code threadId} stored in {@code [from, to)}, oldest first, at most {@code max}. */
    public List<MessageEntity> between(String threadId, java.time.Instant from, java.time.Instant to, int max) {
        return find("threadId = ?1 and createdAt >= ?2 and createdAt < ?3", Sort.ascending("createdAt").and("seq"),
                threadId, from, to).page(0, max).list();
    }

    /**
     * Messages of {@code threadId} stored in {@code [from, to)}, newest first, excluding
     * {@code excluded}, from position {@code offset}, at most {@code max}.
     */
    public List<MessageEntity> newestBetween(String threadId, java.time.Instant from, java.time.Instant to,
                                             List<UUID> excluded, int offset, int max) {
        var query = excluded.isEmpty()
                ? find("threadId = ?1 and createdAt >= ?2 and createdAt < ?3", Sort.descending("createdAt").and("seq"),
                        threadId, from, to)
                : find("threadId = ?1 and createdAt >= ?2 and createdAt < ?3 and id not in ?4",
                        Sort.descending("createdAt").and("seq"), threadId, from, to, excluded);
        return query.range(offset, offset + max - 1).list();
    }

    /** When the thread's first message was stored, or null if it has none. */
    public java.time.Instant firstCreatedAt(String threadId) {
        return find("select min(createdAt) from MessageEntity where threadId = ?1", threadId)
                .project(java.time.Instant.class).firstResult();
    }

    /** How many messages of {@code threadId} were stored in {@code [from, to)}. */
    public long countBetween(String threadId, java.time.Instant from, java.time.Instant to) {
        return count("threadId = ?1 and createdAt >= ?2 and createdAt < ?3", threadId, from, to);
    }

    /** The days (in {@code zone}) on which messages of {@code threadId} were stored in {@code [from, to)}, oldest first. */
    @SuppressWarnings("unchecked")
    public List<java.time.LocalDate> daysWithMessages(String threadId, java.time.Instant from, java.time.Instant to,
                                                      java.time.ZoneId zone) {
        List<Object> rows = getEntityManager().createNativeQuery("""
                        SELECT DISTINCT CAST(created_at AT TIME ZONE ?4 AS date) AS day FROM message
                        WHERE thread_id = ?1 AND created_at >= ?2 AND created_at < ?3 ORDER BY day""")
                .setParameter(1, threadId).setParameter(2, from).setParameter(3, to).setParameter(4, zone.getId())
                .getResultList();
        return rows.stream().map(r -> r instanceof java.sql.Date d ? d.toLocalDate() : (java.time.LocalDate) r).toList();
    }
}
