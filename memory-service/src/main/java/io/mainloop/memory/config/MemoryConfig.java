package io.mainloop.memory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of memory-service ({@code mainloop.memory.*}, or {@code MAINLOOP_MEMORY_*} variables). */
@ConfigMapping(prefix = "mainloop.memory")
public interface MemoryConfig {

    /** Most tokens a turn's assembled context (system prompt plus history) may take. */
    @WithDefault("24000")
    int contextTokenBudget();

    /** Instructions that open every turn's context. */
    @WithDefault("You are mainloop, the owner's persistent assistant on one continuous thread.")
    String systemPrompt();
}
