package io.mainloop.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of agent-service ({@code mainloop.agent.*}, or {@code MAINLOOP_AGENT_*} variables). */
@ConfigMapping(prefix = "mainloop.agent")
public interface AgentConfig {

    /** The {@code claude} executable; when absent, {@code claude} on the PATH. */
    Optional<Path> claudePath();

    /** Longest a turn may run before its CLI process group is killed. */
    @WithDefault("10m")
    Duration turnTimeout();

    /** Parent of each thread's persistent workspace (the CLI's working directory, with its own HOME). */
    @WithDefault("${user.home}/.mainloop/workspaces")
    Path workspaceDir();

    /** The model the CLI uses ({@code --model}: an alias such as {@code sonnet}, or a full id); else the CLI's default. */
    Optional<String> model();

    /** The CLI's {@code --permission-mode}; {@code bypassPermissions} lets the agent use its tools unattended. */
    @WithDefault("bypassPermissions")
    String permissionMode();

    /**
     * Extra environment for the CLI, on top of agent-service's own (which passes
     * {@code ANTHROPIC_API_KEY}, {@code CLAUDE_CODE_OAUTH_TOKEN} and {@code ANTHROPIC_BASE_URL} through).
     */
    Map<String, String> cliEnvironment();

    /** Whether the CLI talks to the stand-in API ({@code ./mainloop up --demo}); shown to the owner. */
    @WithDefault("false")
    boolean demo();
}
