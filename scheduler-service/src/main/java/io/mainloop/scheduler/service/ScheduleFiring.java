package io.mainloop.scheduler.service;

import io.mainloop.contracts.CompactionRequested;
import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.scheduler.config.SchedulerConfig;
import io.mainloop.scheduler.config.TimeSource;
import io.mainloop.scheduler.repository.OutboxRepository;
import io.mainloop.scheduler.repository.ScheduleEntity;
import io.mainloop.scheduler.repository.ScheduleRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What a firing does, in one transaction: checks the schedule (still there, enabled, within its
 * active hours), records its {@link ScheduleFired} in the outbox (insert-if-absent: the firing id
 * is deterministic per schedule and slot, so the same slot fired twice is recorded once), stamps
 * {@code last_fired_at} and disables a one-shot. The compaction triggers record their
 * {@link CompactionRequested} the same way. Publishing happens after the commit (the outbox relay).
 * Every outcome is counted in {@code mainloop_scheduler_firings_total{kind,outcome}}.
 */
@ApplicationScoped
public class ScheduleFiring {

    private static final Logger LOG = Logger.getLogger(ScheduleFiring.class);

    /** What came of a firing. */
    public enum Outcome {
        /** Recorded; the event will be published. */
        FIRED,
        /** This slot had fired already (same firing id): nothing new. */
        DUPLICATE,
        /** The schedule is disabled. */
        SKIPPED_DISABLED,
        /** The slot is outside the schedule's active hours. */
        SKIPPED_INACTIVE_HOURS,
        /** The schedule no longer exists. */
        GONE
    }

    /**
     * A firing's result.
     *
     * @param outcome what came of it
     * @param threadId the thread its event is for (null when {@link Outcome#GONE})
     * @param eventId the firing id ({@code ScheduleFired}) or the request's id ({@code CompactionRequested})
     * @param scheduledFor the slot
     * @param firedAt when it was fired
     */
    public record Firing(Outcome outcome, String threadId, UUID eventId, Instant scheduledFor, Instant firedAt) {
    }

    @Inject
    ScheduleRepository schedules;

    @Inject
    OutboxRepository outbox;

    @Inject
    TimeSource time;

    @Inject
    SchedulerConfig config;

    @Inject
    MeterRegistry metrics;

    /**
     * Fires schedule {@code id} for slot {@code scheduledFor}.
     *
     * @param nextFireAt the schedule's next fire time after this one (from Quartz), or null
     * @param manual a "run now" by the owner: fires even when disabled or outside active hours,
     *     and leaves a one-shot enabled
     * @return what came of it
     */
    @Transactional
    public Firing fire(UUID id, Instant scheduledFor, Instant nextFireAt, boolean manual) {
        ScheduleEntity s = schedules.lock(id);
        Instant now = time.now().truncatedTo(ChronoUnit.MILLIS);
        if (s == null) {
            count("unknown", Outcome.GONE);
            LOG.infof("schedule %s fired but no longer exists", id);
            return new Firing(Outcome.GONE, null, null, scheduledFor, now);
        }
        UUID firingId = ScheduleFired.firingId(id, scheduledFor);
        Outcome outcome;
        if (!manual && !s.enabled) {
            outcome = Outcome.SKIPPED_DISABLED;
        } else if (!manual && !withinActiveHours(s, scheduledFor)) {
            outcome = Outcome.SKIPPED_INACTIVE_HOURS;
            LOG.infof("schedule %s (%s) skipped at %s: outside its active hours %s-%s (%s)", id, s.title, scheduledFor,
                    s.activeHoursStart, s.activeHoursEnd, s.timeZone);
        } else if (outbox.addIfAbsent(ScheduleFired.of(s.threadId, id, s.kind, s.title, s.prompt, s.model, s.target,
                scheduledFor, now))) {
            outcome = Outcome.FIRED;
            s.lastFiredAt = now;
            LOG.infof("schedule %s (%s) fired for %s: firing %s", id, s.title, scheduledFor, firingId);
        } else {
            outcome = Outcome.DUPLICATE;
            LOG.infof("schedule %s fired again for %s: firing %s is recorded already", id, scheduledFor, firingId);
        }
        if (!manual) {
            if (s.oneShot() && s.enabled) {
                s.enabled = false; // kept for history; its Quartz trigger is done
                s.nextFireAt = null;
            } else if (!s.oneShot()) {
                s.nextFireAt = nextFireAt;
            }
        }
        count(s.kind.name(), outcome);
        return new Firing(outcome, s.threadId, firingId, scheduledFor, now);
    }

    /**
     * Requests compaction of the period of {@code granularity} that ended last before
     * {@code scheduledFor} (in the owner's time zone), for the configured thread, with the
     * deterministic id {@code EventIds.named("compaction", granularity, periodStart)}.
     *
     * @return {@link Outcome#FIRED}, or {@link Outcome#DUPLICATE} if that period was requested already
     */
    @Transactional
    public Firing fireCompaction(Granularity granularity, Instant scheduledFor) {
        ZoneId zone = time.zone();
        LocalDate period = lastEndedPeriod(granularity, scheduledFor, zone);
        String thread = config.compaction().threadId();
        UUID eventId = compactionEventId(granularity, period);
        Instant now = time.now().truncatedTo(ChronoUnit.MILLIS);
        boolean added = outbox.addIfAbsent(new CompactionRequested(eventId, now, CompactionRequested.SCHEMA_VERSION,
                thread, granularity));
        Outcome outcome = added ? Outcome.FIRED : Outcome.DUPLICATE;
        LOG.infof("compaction %s of %s (%s) for thread %s: %s", granularity, granularity.label(period), zone, thread, outcome);
        count("COMPACTION_" + granularity, outcome);
        return new Firing(outcome, thread, eventId, scheduledFor, now);
    }

    /** The id of the compaction request of {@code granularity}'s period starting on {@code periodStart}. */
    public static UUID compactionEventId(Granularity granularity, LocalDate periodStart) {
        return EventIds.named("compaction", granularity, periodStart);
    }

    /**
     * The first day of the last period of {@code granularity} that ended at or before {@code at}
     * in {@code zone}: the day before, the ISO week before, the month before the one {@code at} is in.
     */
    public static LocalDate lastEndedPeriod(Granularity granularity, Instant at, ZoneId zone) {
        LocalDate current = granularity.startOf(LocalDate.ofInstant(at, zone));
        return granularity.startOf(current.minusDays(1));
    }

    private static boolean withinActiveHours(ScheduleEntity s, Instant at) {
        if (s.activeHoursStart == null || s.activeHoursEnd == null) {
            return true;
        }
        LocalTime local = at.atZone(ZoneId.of(s.timeZone)).toLocalTime().truncatedTo(ChronoUnit.SECONDS);
        return new ActiveHours(s.activeHoursStart, s.activeHoursEnd).contains(local);
    }

    private void count(String kind, Outcome outcome) {
        metrics.counter("mainloop.scheduler.firings", "kind", kind, "outcome", outcome.name().toLowerCase()).increment();
    }
}
