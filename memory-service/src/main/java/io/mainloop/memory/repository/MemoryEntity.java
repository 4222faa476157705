package io.mainloop.memory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A categorized memory of a thread (table {@code memory}). */
@Entity
@Table(name = "memory")
public class MemoryEntity {

    /** What a memory is. */
    public enum Kind { DECISION, INSIGHT, HANDOFF, FACT, PREFERENCE }

    /**
     * Who made it: the assistant's {@code remember} tool, a summary's tagged line, the owner in the
     * web app, or a tagged line in a message (saved when the message was stored).
     */
    public enum Origin { TOOL, SUMMARY, OWNER, MESSAGE }

    @Id
    public UUID id;

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(nullable = false)
    public String text;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Origin origin;

    @Column(name = "source_message_id")
    public UUID sourceMessageId;

    @Column(name = "source_summary_id")
    public UUID sourceSummaryId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The memory this one replaces. */
    public UUID supersedes;

    /** The memory that replaced this one; set means it is no longer current. */
    @Column(name = "superseded_by")
    public UUID supersededBy;

    /** After this it leaves the context (handoffs); null: never. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(nullable = false)
    public boolean pinned;

    /** Whether it is current at {@code now}: not superseded, not expired. */
    public boolean current(Instant now) {
        return supersededBy == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
