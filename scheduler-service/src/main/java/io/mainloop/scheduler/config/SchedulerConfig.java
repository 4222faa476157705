package io.mainloop.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of scheduler-service ({@code mainloop.scheduler.*}, or {@code MAINLOOP_SCHEDULER_*} variables). */
@ConfigMapping(prefix = "mainloop.scheduler")
public interface SchedulerConfig {

    /**
     * The owner's time zone (an IANA id such as {@code Europe/Paris}): the default of every
     * schedule's zone and the zone of the compaction triggers; default the system's.
     */
    Optional<String> timeZone();

    /**
     * Shortest gap between two firings of a recurring schedule (checked on its next ten slots when
     * it is created or changed); a cron that fires more often is refused.
     */
    @WithDefault("1m")
    Duration minInterval();

    /**
     * Added to the system clock for resolving relative times ({@code in: PT2M}) and checking that
     * a time is in the future; Quartz fires by the system clock. For end-to-end tests only (e.g.
     * {@code -PT2M}: "in 2 minutes" is due at once); leave it at 0 in production.
     */
    @WithDefault("0s")
    Duration clockOffset();

    /** How long published outbox rows are kept (the window in which a repeated firing is recognised), then pruned hourly. */
    @WithDefault("7d")
    Duration outboxRetention();

    /** The built-in heartbeat ({@code mainloop.scheduler.heartbeat.*}). */
    Heartbeat heartbeat();

    /** The memory pyramid's compaction triggers ({@code mainloop.scheduler.compaction.*}). */
    Compaction compaction();

    /** The assistant's MCP tools ({@code mainloop.scheduler.mcp.*}). */
    Mcp mcp();

    /** The heartbeat: a cheap check-in turn in the main thread, every {@link #every()} within {@link #activeHours()}. */
    interface Heartbeat {

        /** Whether it fires at all (false: the built-in schedule is kept, disabled). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Time between beats, aligned to the clock: a whole number of minutes dividing 60
         * (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30) or of hours dividing 24 (1, 2, 3, 4, 6, 8, 12, 24).
         */
        @WithDefault("30m")
        Duration every();

        /** {@code HH:mm-HH:mm} in the owner's time zone (end excluded; may wrap midnight), or {@code always}. */
        @WithDefault("08:00-22:00")
        String activeHours();

        /** The model of a heartbeat turn (a cheap one). */
        @WithDefault("haiku")
        String model();
    }

    /** The compaction triggers: {@code CompactionRequested} after each day, ISO week and month ends. */
    interface Compaction {

        /** Whether the triggers are scheduled at all (memory-service also catches up by itself). */
        @WithDefault("true")
        boolean enabled();

        /** The thread they are for. */
        @WithDefault("main")
        String threadId();
    }

    /** MCP settings. */
    interface Mcp {

        /**
         * The secret shared with agent-service that signs each thread's MCP token
         * ({@code MAINLOOP_SCHEDULER_MCP_SECRET}); unset: every tool call is refused.
         */
        Optional<String> secret();
    }
}
