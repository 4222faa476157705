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
        flush();
        getEntityManager().refresh(message); // read back the database-assigned seq
        return true;
    }

    /** User messages of {@code threadId} no turn has answered yet, oldest first. */
    public List<MessageEntity> waiting(String threadId) {
        return list("threadId = ?1 and role = io.mainloop.contracts.Role.USER and turnId is null",
                Sort.ascending("seq"), threadId);
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
}
