package io.mainloop.memory.mcp;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.support.mcp.McpTokens;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Which thread an MCP tool call acts for: the {@code Mainloop-Thread} header, accepted only with
 * {@code Authorization: Bearer <token>} where the token is that thread's HMAC under the shared
 * secret ({@link McpTokens}); agent-service writes both into the turn's MCP configuration.
 */
@ApplicationScoped
public class McpCaller {

    @Inject
    CurrentVertxRequest request;

    @Inject
    MemoryConfig config;

    /**
     * The calling thread.
     *
     * @throws ToolCallException if the secret is not configured or the token does not match
     */
    public String threadId() {
        RoutingContext ctx = request.getCurrent();
        try {
            return McpTokens.verifiedCaller(config.mcp().secret().orElse(null),
                    ctx == null ? null : ctx.request().getHeader(McpTokens.THREAD_HEADER),
                    ctx == null ? null : ctx.request().getHeader("Authorization"), "MAINLOOP_MEMORY_MCP_SECRET");
        } catch (McpTokens.Refused e) {
            throw new ToolCallException(e.getMessage());
        }
    }
}
