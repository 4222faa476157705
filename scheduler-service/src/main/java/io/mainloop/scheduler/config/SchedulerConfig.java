package io.mainloop.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of scheduler-service ({@code mainloop.scheduler.*}, or {@code MAINLOOP_SCHEDULER_*} variables). */
@ConfigMapping(prefix = "mainloop.scheduler")
public interface SchedulerConfig {

    /** Time between heartbeats of the main thread. */
    @WithDefault("30m")
    Duration heartbeatInterval();
}
