package io.mainloop.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of agent-service ({@code mainloop.agent.*}, or {@code MAINLOOP_AGENT_*} variables). */
@ConfigMapping(prefix = "mainloop.agent")
public interface AgentConfig {

    /** The {@code claude} executable; when absent, {@code claude} on the PATH. */
    Optional<Path> claudePath();

    /** Longest a turn may run before its CLI process group is killed. */
    @WithDefault("10m")
    Duration turnTimeout();

    /** Parent of each thread's persistent workspace (the CLI's working directory and HOME). */
    @WithDefault("${user.home}/.mainloop/workspaces")
    Path workspaceDir();

    /** Whether the CLI talks to the stand-in API ({@code ./mainloop up --demo}); shown to the owner. */
    @WithDefault("false")
    boolean demo();
}
