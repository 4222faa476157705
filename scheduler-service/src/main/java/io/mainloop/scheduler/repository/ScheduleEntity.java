package io.mainloop.scheduler.repository;

import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

/**
 * A schedule (table {@code schedule}): a recurring cron or a one-shot instant, in a time zone, and
 * the prompt it runs. Exactly one of {@link #cron} and {@link #runAt} is set.
 */
@Entity
@Table(name = "schedule")
public class ScheduleEntity {

    /** Who made a schedule: the owner (REST through the gateway), the assistant (MCP) or mainloop itself (built in). */
    public enum CreatedBy { OWNER, ASSISTANT, SYSTEM }

    @Id
    public UUID id;

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ScheduleKind kind;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String prompt;

    /** Null: the default model. */
    public String model;

    /** The cron as written (Unix 5 fields or Quartz 6-7; Quartz runs {@code CronSyntax.toQuartz} of it), or null for a one-shot. */
    public String cron;

    /** The one-shot instant, or null for a cron. */
    @Column(name = "run_at")
    public Instant runAt;

    /** An IANA time zone id: the cron and the active hours are read in it. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Column(nullable = false)
    public boolean enabled;

    /** Firings outside [start, end) are skipped; both null: always. */
    @Column(name = "active_hours_start")
    public LocalTime activeHoursStart;

    @Column(name = "active_hours_end")
    public LocalTime activeHoursEnd;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ScheduleTarget target;

    @Enumerated(EnumType.STRING)
    @Column(name = "created_by", nullable = false)
    public CreatedBy createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "last_fired_at")
    public Instant lastFiredAt;

    /** The next fire time as Quartz last computed it (null: none, e.g. disabled or done). */
    @Column(name = "next_fire_at")
    public Instant nextFireAt;

    /** Whether it is a one-shot (fires once at {@link #runAt}). */
    public boolean oneShot() {
        return runAt != null;
    }

    /** Whether it is built in (configured by mainloop.scheduler.*, read-only through the API). */
    public boolean builtIn() {
        return createdBy == CreatedBy.SYSTEM;
    }
}
