package io.mainloop.agent.messaging;

import io.mainloop.agent.task.TaskRequestException;
import io.mainloop.agent.task.TaskService;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ScheduleTarget;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code mainloop.schedule.fired} (consumer group {@code agent-service}): a firing whose
 * target is a sub-agent task becomes that task, once per firing ({@link TaskService#createScheduled});
 * its result comes back into the thread like any task's. Firings for the thread are memory-service's.
 * Processing failures are retried in place; only unreadable records go to the dead-letter topic.
 */
@ApplicationScoped
public class ScheduledTaskConsumer {

    private static final Logger LOG = Logger.getLogger(ScheduledTaskConsumer.class);

    @Inject
    TaskService tasks;

    /** Creates the firing's task, if its target is a task. */
    @Incoming("schedule-fired")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200, abortOn = TaskRequestException.class)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onFired(ScheduleFired fired) {
        if (fired.target() != ScheduleTarget.TASK) {
            return;
        }
        try {
            tasks.createScheduled(fired);
        } catch (TaskRequestException e) {
            // the schedule's prompt cannot be a task (e.g. too long): nothing to retry; say so
            LOG.errorf("schedule %s fired a task that cannot run: %s", fired.scheduleId(), e.getMessage());
        }
    }
}
