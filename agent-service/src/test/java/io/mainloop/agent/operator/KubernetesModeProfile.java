package io.mainloop.agent.operator;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * agent-service in Kubernetes mode: the operator runs (the task model stood in by {@link RecordingTaskSink}),
 * and main-thread turns run in pods of their own.
 */
public class KubernetesModeProfile implements QuarkusTestProfile {

    /** The MCP secret of the test (signs the sub-agents' bearer tokens). */
    public static final String MCP_SECRET = "operator-test-mcp-secret";
    /** memory-service's MCP endpoint as the turn pods reach it. */
    public static final String MEMORY_MCP_URL = "http://mainloop-memory.mainloop.svc:8081/mcp";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mainloop.agent.tasks.mode", "kubernetes",
                "mainloop.agent.kubernetes.image", "registry.example/mainloop/agent-task:1.0",
                "mainloop.agent.kubernetes.git-image", "registry.example/git:2",
                "mainloop.agent.kubernetes.job-ttl-after-finished", "2h",
                "mainloop.agent.kubernetes.defaults.thread-id", "owner-main",
                "mainloop.agent.kubernetes.mcp-url", "http://mainloop-agent.mainloop.svc:8082/mcp",
                "mainloop.agent.kubernetes.workspace.storage-class", "fast",
                "mainloop.agent.memory-mcp.secret", MCP_SECRET,
                "mainloop.agent.memory-mcp.url", MEMORY_MCP_URL,
                "mainloop.agent.turns.mode", "kubernetes");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(RecordingTaskSink.class);
    }
}
