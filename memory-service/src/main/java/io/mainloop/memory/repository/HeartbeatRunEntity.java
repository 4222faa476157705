package io.mainloop.memory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One heartbeat firing and what came of it (table {@code heartbeat_run}); the id is the firing's,
 * so a redelivered firing finds its run. A silent {@code HEARTBEAT_OK} reply is kept here only.
 */
@Entity
@Table(name = "heartbeat_run")
public class HeartbeatRunEntity {

    /** What became of a heartbeat. */
    public enum Outcome {
        /** Its turn runs. */
        RUNNING,
        /** Nothing to look at (an empty checklist and nothing new since the last beat): no model call. */
        SKIPPED,
        /** A turn of the owner's ran or waited: skipped, not queued. */
        BUSY,
        /** The reply was exactly {@code HEARTBEAT_OK}: counted, not shown, not pushed. */
        SILENT,
        /** Another reply: posted into the thread and pushed. */
        POSTED,
        /** The turn failed. */
        FAILED,
        /** Today's heartbeat budget is spent: no model call until tomorrow. */
        BUDGET_SPENT
    }

    @Id
    public UUID id;

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Column(name = "fired_at", nullable = false)
    public Instant firedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Outcome outcome;

    /** Why it was skipped or failed, for the usage view. */
    public String reason;

    /** The turn, when the model was called. */
    @Column(name = "turn_id")
    public UUID turnId;

    /** memory-service's estimate of the light context, tokens. */
    @Column(name = "context_tokens")
    public Integer contextTokens;

    /** Input tokens the CLI reported (cache reads and writes included). */
    @Column(name = "input_tokens")
    public Long inputTokens;

    @Column(name = "output_tokens")
    public Long outputTokens;

    @Column(name = "cost_usd")
    public BigDecimal costUsd;

    /** The model's reply (also when silent). */
    public String reply;

    @Column(name = "ended_at")
    public Instant endedAt;
}
