package io.mainloop.agent.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where sub-agent tasks run ({@code mainloop.agent.tasks.mode}): {@code local} (child processes,
 * the embedded default) or {@code kubernetes} (AgentTask resources and their Jobs). Declared here
 * so that the setting maps to a root; the other {@code mainloop.agent.tasks.*} settings belong to
 * the task model.
 */
@ConfigMapping(prefix = "mainloop.agent.tasks")
public interface TasksModeConfig {

    /** {@code local} or {@code kubernetes}. */
    @WithDefault("local")
    String mode();

    /** Whether tasks run as Kubernetes Jobs. */
    default boolean kubernetes() {
        return "kubernetes".equalsIgnoreCase(mode());
    }
}
