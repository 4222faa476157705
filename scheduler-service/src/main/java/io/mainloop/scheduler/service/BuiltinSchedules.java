package io.mainloop.scheduler.service;

import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import io.mainloop.scheduler.config.SchedulerConfig;
import io.mainloop.scheduler.config.TimeSource;
import io.mainloop.scheduler.repository.ScheduleEntity;
import io.mainloop.scheduler.repository.ScheduleRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The schedules mainloop brings itself, created or updated from configuration at every start
 * (idempotent: fixed ids and insert-if-absent, so two replicas starting together make one of each):
 * <ul>
 *   <li>the heartbeat ({@link #HEARTBEAT_ID}, kind HEARTBEAT, {@code mainloop.scheduler.heartbeat.*}):
 *       a clock-aligned cron every {@code every} within {@code active-hours}, listed through the API
 *       but read-only there;</li>
 *   <li>the compaction triggers (internal Quartz jobs, not schedules, not listed): at 00:05 in the
 *       owner's time zone after each day, on Mondays after each ISO week and on the 1st after each
 *       month, a {@code CompactionRequested} for {@code mainloop.scheduler.compaction.thread-id}.</li>
 * </ul>
 */
@ApplicationScoped
public class BuiltinSchedules {

    private static final Logger LOG = Logger.getLogger(BuiltinSchedules.class);

    /** The heartbeat's schedule id: {@code EventIds.named("builtin", "heartbeat")}. */
    public static final UUID HEARTBEAT_ID = EventIds.named("builtin", "heartbeat");

    /** The heartbeat's instruction (memory-service gives the turn its light context). */
    public static final String HEARTBEAT_PROMPT = "Heartbeat: check on things. Go through your HEARTBEAT.md checklist, "
            + "open inbox items, tasks that changed since the last beat and reminders that are due. If something needs "
            + "the owner, tell them in a few lines; if nothing does, reply exactly HEARTBEAT_OK.";

    /** When each compaction trigger fires (Quartz cron, in the owner's time zone). */
    public static final Map<Granularity, String> COMPACTION_CRONS = Map.of(
            Granularity.DAILY, "0 5 0 * * ?",
            Granularity.WEEKLY, "0 5 0 ? * MON",
            Granularity.MONTHLY, "0 5 0 1 * ?");

    @Inject
    SchedulerConfig config;

    @Inject
    TimeSource time;

    @Inject
    ScheduleRepository schedules;

    @Inject
    QuartzSchedules quartz;

    @Inject
    EntityManager em;

    @Inject
    BuiltinSchedules self;

    void onStart(@Observes StartupEvent event) {
        self.ensure();
    }

    /**
     * Creates or updates the heartbeat and the compaction triggers from the configuration.
     *
     * @throws IllegalArgumentException if the heartbeat's interval, active hours or the time zone are invalid
     */
    @Transactional
    public void ensure() {
        SchedulerConfig.Heartbeat hb = config.heartbeat();
        ZoneId zone = time.zone();
        ActiveHours hours = ActiveHours.parse(hb.activeHours());
        String cron = CronSyntax.every(hb.every(), hours);
        Instant now = time.now().truncatedTo(ChronoUnit.MILLIS);
        em.createNativeQuery("""
                        INSERT INTO schedule (id, thread_id, kind, title, prompt, cron, time_zone, enabled, target,
                            created_by, created_at, updated_at)
                        VALUES (?1, 'main', 'HEARTBEAT', 'Heartbeat', ?2, ?3, ?4, ?5, 'THREAD', 'SYSTEM', ?6, ?6)
                        ON CONFLICT (id) DO NOTHING""")
                .setParameter(1, HEARTBEAT_ID).setParameter(2, HEARTBEAT_PROMPT).setParameter(3, cron)
                .setParameter(4, zone.getId()).setParameter(5, hb.enabled()).setParameter(6, now)
                .executeUpdate();
        ScheduleEntity s = schedules.lock(HEARTBEAT_ID);
        LocalTime start = hours == null ? null : hours.start();
        LocalTime end = hours == null ? null : hours.end();
        boolean changed = !(s.kind == ScheduleKind.HEARTBEAT && HEARTBEAT_PROMPT.equals(s.prompt) && cron.equals(s.cron)
                && zone.getId().equals(s.timeZone) && s.enabled == hb.enabled() && Objects.equals(start, s.activeHoursStart)
                && Objects.equals(end, s.activeHoursEnd) && Objects.equals(hb.model(), s.model));
        if (changed) {
            s.kind = ScheduleKind.HEARTBEAT;
            s.title = "Heartbeat";
            s.prompt = HEARTBEAT_PROMPT;
            s.model = hb.model();
            s.cron = cron;
            s.runAt = null;
            s.timeZone = zone.getId();
            s.enabled = hb.enabled();
            s.activeHoursStart = start;
            s.activeHoursEnd = end;
            s.target = ScheduleTarget.THREAD;
            s.createdBy = ScheduleEntity.CreatedBy.SYSTEM;
            s.updatedAt = now;
        }
        s.nextFireAt = quartz.sync(s);
        LOG.infof("heartbeat %s: cron '%s' in %s, active hours %s, model %s; next %s",
                hb.enabled() ? "on" : "off", cron, zone, hours == null ? "always" : hours, hb.model(), s.nextFireAt);
        boolean compaction = config.compaction().enabled();
        COMPACTION_CRONS.forEach((granularity, expression) -> {
            Instant next = quartz.syncCompaction(granularity, expression, zone, compaction);
            LOG.debugf("compaction trigger %s: %s", granularity, compaction ? "next " + next : "off");
        });
    }
}
