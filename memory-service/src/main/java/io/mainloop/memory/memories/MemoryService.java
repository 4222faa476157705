package io.mainloop.memory.memories;

import io.mainloop.contracts.EventIds;
import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.repository.MemoryEntity;
import io.mainloop.memory.repository.MemoryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The thread's categorized memories: remember, supersede, edit, pin, forget, list. Used by the
 * REST API (the owner), the MCP tools (the assistant) and compaction (a summary's tagged lines).
 * The same statement of the same kind is stored once. A HANDOFF expires after
 * {@code mainloop.memory.handoff-ttl} unless given another expiry.
 */
@ApplicationScoped
public class MemoryService {

    /** Longest memory text, characters. */
    public static final int MAX_CHARS = 2000;

    @Inject
    MemoryRepository memories;

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    /**
     * Stores a new memory, or returns the existing one with the same kind and text.
     *
     * @throws MemoryRequestException 400 if the kind is unknown or the text empty or over 2,000 characters
     */
    @Transactional
    public MemoryEntity remember(String threadId, String kind, String text, boolean pinned, Instant expiresAt,
                                 MemoryEntity.Origin origin, UUID sourceMessageId, UUID sourceSummaryId) {
        MemoryEntity m = new MemoryEntity();
        m.threadId = threadId;
        m.kind = kind(kind);
        m.text = text(text);
        m.origin = origin;
        m.pinned = pinned;
        m.createdAt = time.now();
        m.expiresAt = expiresAt != null ? expiresAt
                : m.kind == MemoryEntity.Kind.HANDOFF ? m.createdAt.plus(config.handoffTtl()) : null;
        m.sourceMessageId = sourceMessageId;
        m.sourceSummaryId = sourceSummaryId;
        m.id = sourceSummaryId != null ? EventIds.named("memory", sourceSummaryId, m.kind, m.text.toLowerCase(Locale.ROOT))
                : UUID.randomUUID();
        if (!memories.insertIfNew(m)) {
            MemoryEntity existing = memories.findById(m.id);
            if (existing != null) {
                return existing;
            }
            return memories.list(threadId, m.kind, true, m.createdAt, 1000).stream()
                    .filter(e -> e.text.equalsIgnoreCase(m.text)).findFirst().orElseThrow();
        }
        return memories.findById(m.id);
    }

    /**
     * Replaces memory {@code id} with a new one (same kind unless given); the old one stays, marked superseded.
     *
     * @throws MemoryRequestException 404 if there is no such memory, 409 if it was superseded already
     */
    @Transactional
    public MemoryEntity supersede(String threadId, UUID id, String text, String kind, MemoryEntity.Origin origin) {
        MemoryEntity old = require(threadId, id);
        if (old.supersededBy != null) {
            throw new MemoryRequestException(409, "memory " + id + " was already superseded by " + old.supersededBy
                    + "; supersede that one");
        }
        MemoryEntity replacement = new MemoryEntity();
        replacement.id = UUID.randomUUID();
        replacement.threadId = threadId;
        replacement.kind = kind == null || kind.isBlank() ? old.kind : kind(kind);
        replacement.text = text(text);
        replacement.origin = origin;
        replacement.createdAt = time.now();
        replacement.supersedes = old.id;
        replacement.pinned = old.pinned;
        replacement.expiresAt = replacement.kind == MemoryEntity.Kind.HANDOFF
                ? replacement.createdAt.plus(config.handoffTtl()) : null;
        memories.persist(replacement);
        old.supersededBy = replacement.id;
        return replacement;
    }

    /**
     * Changes a memory's text, kind, pin or expiry (null: unchanged).
     *
     * @throws MemoryRequestException 404 if there is no such memory, 400 on bad values
     */
    @Transactional
    public MemoryEntity update(String threadId, UUID id, String text, String kind, Boolean pinned, Instant expiresAt) {
        MemoryEntity m = require(threadId, id);
        if (text != null) {
            m.text = text(text);
        }
        if (kind != null) {
            m.kind = kind(kind);
        }
        if (pinned != null) {
            m.pinned = pinned;
        }
        if (expiresAt != null) {
            m.expiresAt = expiresAt;
        }
        return m;
    }

    /**
     * Forgets (deletes) a memory; one it had superseded stays superseded.
     *
     * @throws MemoryRequestException 404 if there is no such memory
     */
    @Transactional
    public void forget(String threadId, UUID id) {
        memories.delete(require(threadId, id));
    }

    /** The thread's memories, newest first; superseded and expired ones too if {@code all}. */
    @Transactional
    public List<MemoryEntity> list(String threadId, String kind, boolean all, int max) {
        return memories.list(threadId, kind == null || kind.isBlank() ? null : kind(kind), all, time.now(), max);
    }

    private MemoryEntity require(String threadId, UUID id) {
        MemoryEntity m = id == null ? null : memories.find(threadId, id);
        if (m == null) {
            throw new MemoryRequestException(404, "no memory " + id);
        }
        return m;
    }

    private static MemoryEntity.Kind kind(String kind) {
        try {
            return MemoryEntity.Kind.valueOf(kind == null ? "" : kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MemoryRequestException(400, "kind must be one of DECISION, INSIGHT, HANDOFF, FACT, PREFERENCE");
        }
    }

    private static String text(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new MemoryRequestException(400, "text must not be empty");
        }
        if (t.length() > MAX_CHARS) {
            throw new MemoryRequestException(400, "text is " + t.length() + " characters; at most " + MAX_CHARS);
        }
        return t;
    }
}
