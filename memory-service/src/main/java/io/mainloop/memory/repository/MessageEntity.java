package io.mainloop.memory.repository;

import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored message of a thread (table {@code message}). */
@Entity
@Table(name = "message")
public class MessageEntity {

    @Id
    public UUID id;

    /**
     * Storage order; the history cursor. Assigned by the database and read back by the insert
     * itself ({@code INSERT ... RETURNING seq} on PostgreSQL: Hibernate's {@link Generated}).
     */
    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Role role;

    @Column(nullable = false)
    public String text;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** USER: the turn answering it (null while waiting); ASSISTANT/SYSTEM: the turn that produced it. */
    @Column(name = "turn_id")
    public UUID turnId;

    @Column(name = "input_tokens")
    public Long inputTokens;

    @Column(name = "output_tokens")
    public Long outputTokens;

    @Column(name = "cache_read_input_tokens")
    public Long cacheReadInputTokens;

    @Column(name = "cache_creation_input_tokens")
    public Long cacheCreationInputTokens;

    @Column(name = "cost_usd")
    public BigDecimal costUsd;

    @Column(name = "duration_ms")
    public Long durationMs;

    /** Why the turn ran, on a scheduled entry and on assistant replies; null for ordinary messages. */
    @Enumerated(EnumType.STRING)
    @Column(name = "turn_kind")
    public io.mainloop.contracts.TurnKind turnKind;

    /** An assistant message the owner did not just ask for (heartbeat, schedule): pushed to devices. */
    @Column(nullable = false)
    public boolean proactive;

    /** A scheduled entry's model for the turn answering it; null for the default. */
    @Column(name = "model")
    public String model;

    /** Token usage of an assistant message, or null for messages without usage. */
    public io.mainloop.contracts.Usage usage() {
        return inputTokens == null ? null : new io.mainloop.contracts.Usage(inputTokens, orZero(outputTokens),
                orZero(cacheReadInputTokens), orZero(cacheCreationInputTokens));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** Assistant messages: the tools the turn ran, in order (JSON array). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tool_calls")
    public List<ConversationEvent.ToolInvocation> toolCalls;

    /** Assistant messages: text blocks and tool calls in the order the owner saw them live (JSON array). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "blocks")
    public List<ConversationEvent.ContentBlock> blocks;
}
