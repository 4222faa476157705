package io.mainloop.support.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class McpGetStreamRefusalTest {

    @Test
    void onlyAGetOfTheMcpEndpointIsRefused() {
        assertTrue(McpGetStreamRefusal.refused(HttpMethod.GET, "/mcp", "/mcp"));
        assertTrue(McpGetStreamRefusal.refused(HttpMethod.GET, "/mcp/", "/mcp"));
        assertFalse(McpGetStreamRefusal.refused(HttpMethod.POST, "/mcp", "/mcp"), "requests go on");
        assertFalse(McpGetStreamRefusal.refused(HttpMethod.DELETE, "/mcp", "/mcp"), "a session may be ended");
        assertFalse(McpGetStreamRefusal.refused(HttpMethod.GET, "/mcp/sse", "/mcp"));
        assertFalse(McpGetStreamRefusal.refused(HttpMethod.GET, "/q/health", "/mcp"));
    }
}
