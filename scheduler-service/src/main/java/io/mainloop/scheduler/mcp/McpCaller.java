package io.mainloop.scheduler.mcp;

import io.mainloop.scheduler.config.SchedulerConfig;
import io.mainloop.support.mcp.McpTokens;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who calls an MCP tool: the thread, from the {@code Mainloop-Thread} header, accepted only with
 * {@code Authorization: Bearer <token>} where the token is that thread's HMAC under the shared
 * secret ({@link McpTokens}, {@code mainloop.scheduler.mcp.secret}), exactly as memory-service
 * checks it; and the kind of the calling turn, from the optional {@code Mainloop-Turn-Kind} header
 * ({@code HEARTBEAT} for a heartbeat turn; agent-service sends it).
 */
@ApplicationScoped
public class McpCaller {

    /** The header naming the kind of the calling turn ({@code HEARTBEAT}, or absent for any other turn). */
    public static final String TURN_KIND_HEADER = "Mainloop-Turn-Kind";

    @Inject
    CurrentVertxRequest request;

    @Inject
    SchedulerConfig config;

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
                    ctx == null ? null : ctx.request().getHeader("Authorization"), "MAINLOOP_SCHEDULER_MCP_SECRET");
        } catch (McpTokens.Refused e) {
            throw new ToolCallException(e.getMessage());
        }
    }

    /** Whether the calling turn is a heartbeat ({@code Mainloop-Turn-Kind: HEARTBEAT}). */
    public boolean heartbeatTurn() {
        RoutingContext ctx = request.getCurrent();
        String kind = ctx == null ? null : ctx.request().getHeader(TURN_KIND_HEADER);
        return kind != null && kind.strip().equalsIgnoreCase("HEARTBEAT");
    }
}
