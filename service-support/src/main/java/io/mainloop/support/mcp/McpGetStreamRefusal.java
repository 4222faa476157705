package io.mainloop.support.mcp;

import io.mainloop.support.rest.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers {@code GET} on a service's MCP endpoint ({@code quarkus.mcp.server.http.root-path},
 * {@code /mcp}) with 405 Method Not Allowed: the server offers no stream of its own to the client.
 * The Streamable HTTP transport allows exactly this (MCP specification 2025-03-26, "Listening for
 * Messages from the Server": the server "MUST either return Content-Type: text/event-stream in
 * response to this HTTP GET, or else return HTTP 405 Method Not Allowed"), and Claude Code then
 * opens none. mainloop's tools answer within their own {@code POST}s and send nothing unasked.
 * Registered only where the MCP server extension is (memory-, agent- and scheduler-service).
 *
 * <p>Why: each CLI (a waiting one too) held that stream open for its whole life, and an open
 * request holds a service's graceful shutdown up to {@code quarkus.shutdown.timeout}: Ctrl-C of
 * {@code ./mainloop up} after a turn took 10 s more in memory-, agent- and scheduler-service each.
 */
@ApplicationScoped
public class McpGetStreamRefusal {

    /** Runs early (higher runs first), before the MCP server's own routes. */
    static final int PRIORITY = 150;

    private static final String REFUSAL = Json.encode(Problem.of(Response.Status.METHOD_NOT_ALLOWED,
            "this MCP server offers no server-to-client stream: send requests with POST"));

    @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp")
    String rootPath;

    void register(@Observes Filters filters) {
        if (!mcpServerPresent()) {
            return; // the gateway: no MCP server, no /mcp
        }
        String path = rootPath.endsWith("/") && rootPath.length() > 1 ? rootPath.substring(0, rootPath.length() - 1)
                : rootPath;
        filters.register(rc -> filter(rc, path), PRIORITY);
    }

    private static void filter(RoutingContext rc, String path) {
        if (!refused(rc.request().method(), rc.normalizedPath(), path)) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST, DELETE")
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(REFUSAL);
    }

    private static boolean mcpServerPresent() {
        try {
            Class.forName("io.quarkiverse.mcp.server.Tool", false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Whether a request of {@code method} to {@code requestPath} (normalized) asks for the stream at {@code mcpPath}. */
    static boolean refused(HttpMethod method, String requestPath, String mcpPath) {
        return HttpMethod.GET.equals(method) && (requestPath.equals(mcpPath) || requestPath.equals(mcpPath + "/"));
    }
}
