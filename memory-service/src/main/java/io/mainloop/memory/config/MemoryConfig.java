package io.mainloop.memory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of memory-service ({@code mainloop.memory.*}, or {@code MAINLOOP_MEMORY_*} variables). */
@ConfigMapping(prefix = "mainloop.memory")
public interface MemoryConfig {

    /** Most tokens a turn's assembled context (system prompt plus history) may take. */
    @WithDefault("24000")
    int contextTokenBudget();

    /** Instructions that open every turn's context. */
    @WithDefault("You are mainloop, the owner's persistent assistant on one continuous thread.")
    String systemPrompt();

    /**
     * Longest a turn may run: agent-service's {@code mainloop.agent.turn-timeout} (keep them equal).
     * A turn whose end has not arrived after this plus {@link #staleTurnMargin()} is given up.
     */
    @WithDefault("10m")
    Duration turnTimeout();

    /** Grace after {@link #turnTimeout()} before a turn whose end never arrived is given up. */
    @WithDefault("2m")
    Duration staleTurnMargin();

    /** How often threads are checked for a turn whose end never arrived. */
    @WithDefault("30s")
    Duration staleTurnCheck();

    /**
     * How long an input may keep failing (database unreachable) before the owner sees a notice
     * in the thread; it is retried all along and never dropped.
     */
    @WithDefault("30s")
    Duration delayNoticeAfter();
}
