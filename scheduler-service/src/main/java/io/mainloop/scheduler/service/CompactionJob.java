package io.mainloop.scheduler.service;

import io.mainloop.contracts.Granularity;
import io.mainloop.scheduler.messaging.OutboxRelay;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * The Quartz job of the compaction triggers (job name = granularity): requests compaction of the
 * period that just ended ({@link ScheduleFiring#fireCompaction}) and publishes it after the commit.
 * A failure is logged only: memory-service catches up on ended periods by itself.
 */
@Dependent
@Unremovable
public class CompactionJob implements Job {

    private static final Logger LOG = Logger.getLogger(CompactionJob.class);

    @Inject
    ScheduleFiring firing;

    @Inject
    OutboxRelay relay;

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        Granularity granularity = Granularity.valueOf(context.getJobDetail().getKey().getName());
        try {
            ScheduleFiring.Firing fired = firing.fireCompaction(granularity, context.getScheduledFireTime().toInstant());
            if (fired.outcome() == ScheduleFiring.Outcome.FIRED) {
                relay.tryPublish(fired.threadId());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "compaction trigger %s failed (memory-service catches up by itself)", granularity);
        }
    }
}
