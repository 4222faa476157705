package io.mainloop.scheduler.service;

import io.mainloop.scheduler.messaging.OutboxRelay;
import io.quarkus.arc.Unremovable;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * The Quartz job of every schedule (job name = schedule id): fires it for the trigger's slot
 * ({@link ScheduleFiring#fire}) and publishes the recorded event after the commit (a trigger
 * whose schedule is gone is removed). A firing
 * that cannot be recorded (database unreachable) is retried at once up to three times, then
 * logged as lost.
 */
@Dependent
@Unremovable
public class ScheduleJob implements Job {

    private static final Logger LOG = Logger.getLogger(ScheduleJob.class);
    private static final int MAX_REFIRES = 3;

    @Inject
    ScheduleFiring firing;

    @Inject
    OutboxRelay relay;

    @Inject
    QuartzSchedules quartz;

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        UUID id = UUID.fromString(context.getJobDetail().getKey().getName());
        Instant slot = context.getScheduledFireTime().toInstant();
        Instant next = context.getNextFireTime() == null ? null : context.getNextFireTime().toInstant();
        ScheduleFiring.Firing fired;
        try {
            fired = firing.fire(id, slot, next, false);
        } catch (RuntimeException e) {
            boolean again = context.getRefireCount() < MAX_REFIRES;
            LOG.errorf(e, "schedule %s could not fire for %s%s", id, slot, again ? " (trying again)" : "; this slot is lost");
            throw new JobExecutionException(e, again);
        }
        if (fired.outcome() == ScheduleFiring.Outcome.FIRED) {
            relay.tryPublish(fired.threadId());
        } else if (fired.outcome() == ScheduleFiring.Outcome.GONE) {
            QuarkusTransaction.requiringNew().run(() -> quartz.remove(id)); // a trigger left behind: drop it
        }
    }
}
