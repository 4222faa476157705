package io.mainloop.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the main thread's turns run ({@code mainloop.agent.turns.*}, {@code MAINLOOP_AGENT_TURNS_*}):
 * {@code local} (a process group in agent-service's own container, in Claude Code's sandbox: the
 * embedded default) or {@code kubernetes} (a pod per turn, with none of agent-service's credentials;
 * the pod is the sandbox). Heartbeat turns have no tools and always run locally. The pods are built
 * from the Kubernetes mode settings ({@code mainloop.agent.kubernetes.*}: image, service account,
 * credentials Secret, user, workspace claim size).
 */
@ConfigMapping(prefix = "mainloop.agent.turns")
public interface TurnsConfig {

    /** {@code local} or {@code kubernetes}. */
    @WithDefault("local")
    String mode();

    /** The resource profile of a turn's pod ({@code small}, {@code medium}, {@code large} or a configured one). */
    @WithDefault("medium")
    String profile();

    /** Whether turns run in pods of their own. */
    default boolean kubernetes() {
        return "kubernetes".equalsIgnoreCase(mode());
    }
}
