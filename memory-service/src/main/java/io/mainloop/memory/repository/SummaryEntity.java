package io.mainloop.memory.repository;

import io.mainloop.contracts.Granularity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A summary of one period of a thread (table {@code summary}); see {@code docs/memory.md}. */
@Entity
@Table(name = "summary")
public class SummaryEntity {

    /** Being written: claimed and asked for, no answer kept yet. */
    public static final String PENDING = "PENDING";
    /** Written. */
    public static final String DONE = "DONE";

    @Id
    public UUID id;

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Granularity granularity;

    /** First day of the period, in the owner's time zone. */
    @Column(name = "period_start", nullable = false)
    public LocalDate periodStart;

    /** The day after the period (exclusive). */
    @Column(name = "period_end", nullable = false)
    public LocalDate periodEnd;

    @Column(nullable = false)
    public String status;

    /** The summary (with its tagged lines); null while pending. */
    public String text;

    /** Estimated size of {@link #text}, tokens. */
    public Integer tokens;

    @Column(name = "covers_from", nullable = false)
    public Instant coversFrom;

    @Column(name = "covers_to", nullable = false)
    public Instant coversTo;

    /** How many messages (DAILY) or summaries (WEEKLY, MONTHLY) it was written from. */
    @Column(name = "source_count", nullable = false)
    public int sourceCount;

    /** WEEKLY and MONTHLY: the summaries it was written from. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "source_ids")
    public List<UUID> sourceIds;

    public String model;

    @Column(name = "cost_usd")
    public BigDecimal costUsd;

    @Column(name = "input_tokens")
    public Long inputTokens;

    @Column(name = "output_tokens")
    public Long outputTokens;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    /** While pending: when to ask again. */
    @Column(name = "retry_at", nullable = false)
    public Instant retryAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** Whether it is written. */
    public boolean done() {
        return DONE.equals(status);
    }
}
