package io.mainloop.agent.service;

import io.mainloop.agent.config.AgentConfig;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Where the CLIs this service starts reach its own MCP tools ({@code tasks}):
 * {@code mainloop.agent.tasks.mcp-url}, else {@code http://127.0.0.1:<port>/mcp} with the port
 * the HTTP server actually bound (also when it was asked for a random one).
 */
@ApplicationScoped
public class OwnEndpoint {

    @Inject
    AgentConfig config;

    private volatile int port = -1;

    void started(@Observes HttpServerStart start) {
        port = start.options().getPort();
    }

    /** The task tools' URL. */
    public String tasksMcpUrl() {
        return config.tasks().mcpUrl().filter(u -> !u.isBlank())
                .orElse("http://127.0.0.1:" + port() + "/mcp");
    }

    /** The bound port: a random port (0) is read back from where Quarkus records the actual one. */
    private int port() {
        if (port > 0) {
            return port;
        }
        for (String key : new String[] {"quarkus.http.test-port", "quarkus.http.port"}) {
            String value = System.getProperty(key);
            if (value != null && !value.equals("0")) {
                return Integer.parseInt(value);
            }
        }
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.port", Integer.class).orElse(8082);
    }
}
