package io.mainloop.agent.warm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Warm turns ({@code mainloop.agent.warm.*}, {@code MAINLOOP_AGENT_WARM_*}): after a turn of a
 * thread, its next CLI is started ahead of time and waits on stdin, so the next turn does not wait
 * for the CLI to boot. Local turn mode only (a turn pod is always started for its turn).
 */
@ConfigMapping(prefix = "mainloop.agent.warm")
public interface WarmConfig {

    /** Whether CLIs are started ahead of turns. */
    @WithDefault("true")
    boolean enabled();

    /** Most CLIs waiting at once, all threads together (each holds about 200 MB). */
    @WithDefault("2")
    int maxProcesses();

    /** A CLI that waited this long for a turn is ended. */
    @WithDefault("10m")
    Duration idleTimeout();

    /** How often waiting CLIs are checked (idle ones ended, dead ones forgotten). */
    @WithDefault("15s")
    Duration check();
}
