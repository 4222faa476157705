package io.mainloop.agent.mcp;

import io.mainloop.agent.config.AgentConfig;
import io.mainloop.support.mcp.McpTokens;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Who calls a task tool: the main thread's CLI (its thread id) or a sub-agent's
 * ({@code task:<id>}), from the {@code Mainloop-Thread} header, accepted only with that caller's
 * bearer token ({@link McpTokens}, under {@code mainloop.agent.memory-mcp.secret}).
 */
@ApplicationScoped
public class McpCaller {

    /** The caller prefix of a sub-agent ({@code task:<id>}). */
    public static final String TASK_PREFIX = "task:";

    @Inject
    CurrentVertxRequest request;

    @Inject
    AgentConfig config;

    /**
     * The verified caller.
     *
     * @throws ToolCallException if no secret is configured or the token does not match
     */
    public String caller() {
        RoutingContext ctx = request.getCurrent();
        try {
            return McpTokens.verifiedCaller(config.memoryMcp().secret().orElse(null),
                    ctx == null ? null : ctx.request().getHeader(McpTokens.THREAD_HEADER),
                    ctx == null ? null : ctx.request().getHeader("Authorization"), "MAINLOOP_AGENT_MEMORY_MCP_SECRET");
        } catch (McpTokens.Refused e) {
            throw new ToolCallException(e.getMessage());
        }
    }

    /**
     * The calling main thread.
     *
     * @throws ToolCallException if a sub-agent calls (sub-agents spawn no tasks)
     */
    public String thread() {
        String caller = caller();
        if (caller.startsWith(TASK_PREFIX)) {
            throw new ToolCallException("only the main thread's assistant manages tasks");
        }
        return caller;
    }

    /**
     * The calling sub-agent's task.
     *
     * @throws ToolCallException if the caller is not a sub-agent
     */
    public UUID task() {
        String caller = caller();
        if (!caller.startsWith(TASK_PREFIX)) {
            throw new ToolCallException("ask_owner is for sub-agents; the main thread asks the owner directly");
        }
        return UUID.fromString(caller.substring(TASK_PREFIX.length()));
    }
}
