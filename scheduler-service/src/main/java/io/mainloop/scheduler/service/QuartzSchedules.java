package io.mainloop.scheduler.service;

import io.mainloop.contracts.Granularity;
import io.mainloop.scheduler.repository.ScheduleEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * Keeps Quartz's triggers (clustered JDBC store, tables {@code QRTZ_*}) in line with the schedules.
 * A schedule is the job and trigger named by its id in group {@code schedule}, run by
 * {@link ScheduleJob}; the compaction triggers are named by their granularity in group
 * {@code compaction}, run by {@link CompactionJob}. Misfires (a slot missed by more than
 * {@code quarkus.quartz.misfire-threshold}, e.g. during downtime) fire once, now: a cron
 * "fires once now and proceeds", a one-shot "fires now"; never one firing per missed slot.
 *
 * <p>Call its methods inside the transaction that writes the schedule (jdbc-cmt: Quartz's rows join
 * it, so the schedule and its trigger commit or roll back together).
 */
@ApplicationScoped
public class QuartzSchedules {

    /** Quartz group of the schedules' jobs and triggers. */
    public static final String SCHEDULE_GROUP = "schedule";

    /** Quartz group of the compaction triggers. */
    public static final String COMPACTION_GROUP = "compaction";

    @Inject
    Scheduler quartz;

    /**
     * Puts {@code schedule}'s trigger into Quartz, unless an equal one is there already (so its
     * next fire time is kept), or removes it when the schedule is disabled.
     *
     * @return its next fire time, or null if it will not fire
     * @throws IllegalStateException if Quartz fails
     */
    public Instant sync(ScheduleEntity schedule) {
        JobKey job = jobKey(schedule.id);
        try {
            if (!schedule.enabled) {
                quartz.deleteJob(job);
                return null;
            }
            TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger()
                    .withIdentity(triggerKey(schedule.id)).forJob(job);
            Trigger wanted = schedule.oneShot()
                    ? builder.startAt(Date.from(schedule.runAt))
                            .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                            .build()
                    : builder.startNow().withSchedule(cron(CronSyntax.toQuartz(schedule.cron), ZoneId.of(schedule.timeZone))).build();
            return put(job, ScheduleJob.class, wanted);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz could not schedule " + schedule.id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the trigger and job of schedule {@code id} (nothing if there are none).
     *
     * @throws IllegalStateException if Quartz fails
     */
    public void remove(UUID id) {
        try {
            quartz.deleteJob(jobKey(id));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz could not unschedule " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Schedules (or, when {@code enabled} is false, removes) the compaction trigger of
     * {@code granularity}: {@code quartzCron} in {@code zone}.
     *
     * @return its next fire time, or null
     * @throws IllegalStateException if Quartz fails
     */
    public Instant syncCompaction(Granularity granularity, String quartzCron, ZoneId zone, boolean enabled) {
        JobKey job = JobKey.jobKey(granularity.name(), COMPACTION_GROUP);
        try {
            if (!enabled) {
                quartz.deleteJob(job);
                return null;
            }
            Trigger wanted = TriggerBuilder.newTrigger().withIdentity(granularity.name(), COMPACTION_GROUP).forJob(job)
                    .startNow().withSchedule(cron(quartzCron, zone)).build();
            return put(job, CompactionJob.class, wanted);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz could not schedule compaction " + granularity + ": " + e.getMessage(), e);
        }
    }

    /**
     * The next fire time Quartz holds for schedule {@code id}, or null if it has no trigger.
     *
     * @throws IllegalStateException if Quartz fails
     */
    public Instant nextFireTime(UUID id) {
        try {
            Trigger trigger = quartz.getTrigger(triggerKey(id));
            return trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz could not read " + id + ": " + e.getMessage(), e);
        }
    }

    /** The job key of schedule {@code id}. */
    public static JobKey jobKey(UUID id) {
        return JobKey.jobKey(id.toString(), SCHEDULE_GROUP);
    }

    /** The trigger key of schedule {@code id}. */
    public static TriggerKey triggerKey(UUID id) {
        return TriggerKey.triggerKey(id.toString(), SCHEDULE_GROUP);
    }

    private Instant put(JobKey job, Class<? extends org.quartz.Job> jobClass, Trigger wanted) throws SchedulerException {
        Trigger existing = quartz.getTrigger(wanted.getKey());
        if (existing != null && same(existing, wanted)
                && quartz.getTriggerState(existing.getKey()) == Trigger.TriggerState.NORMAL) {
            return existing.getNextFireTime() == null ? null : existing.getNextFireTime().toInstant();
        }
        quartz.scheduleJob(JobBuilder.newJob(jobClass).withIdentity(job).build(), Set.of(wanted), true);
        Trigger stored = quartz.getTrigger(wanted.getKey());
        return stored == null || stored.getNextFireTime() == null ? null : stored.getNextFireTime().toInstant();
    }

    private static CronScheduleBuilder cron(String quartzCron, ZoneId zone) {
        return CronScheduleBuilder.cronSchedule(quartzCron).inTimeZone(TimeZone.getTimeZone(zone))
                .withMisfireHandlingInstructionFireAndProceed();
    }

    private static boolean same(Trigger a, Trigger b) {
        if (a.getMisfireInstruction() != b.getMisfireInstruction()) {
            return false;
        }
        if (a instanceof CronTrigger ca && b instanceof CronTrigger cb) {
            return ca.getCronExpression().equals(cb.getCronExpression())
                    && ca.getTimeZone().getID().equals(cb.getTimeZone().getID());
        }
        if (a instanceof SimpleTrigger sa && b instanceof SimpleTrigger sb) {
            return Objects.equals(sa.getStartTime(), sb.getStartTime()) && sa.getRepeatCount() == sb.getRepeatCount();
        }
        return false;
    }
}
