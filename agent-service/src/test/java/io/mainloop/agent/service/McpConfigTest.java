package io.mainloop.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.support.mcp.McpTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A turn's CLI gets memory-service's MCP server, with a token for its own thread only, and no other MCP server. */
class McpConfigTest {

    @TempDir
    Path dir;

    @Test
    void theTurnsMcpConfigNamesTheMemoryServerWithTheThreadsToken() throws Exception {
        Path file = dir.resolve("mcp.json");
        List<String> flags = ClaudeCliCommand.mcpFlags(Optional.of("http://127.0.0.1:8081/mcp"),
                Optional.of("shared-secret"), "thread-1", file);

        assertEquals(List.of("--strict-mcp-config", "--mcp-config", file.toString()), flags);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        JsonNode memory = new ObjectMapper().readTree(file.toFile()).path("mcpServers").path("memory");
        assertEquals("http", memory.path("type").asText());
        assertEquals("http://127.0.0.1:8081/mcp", memory.path("url").asText());
        assertEquals("Bearer " + McpTokens.token("shared-secret", "thread-1"),
                memory.path("headers").path("Authorization").asText());
        assertEquals("thread-1", memory.path("headers").path("Mainloop-Thread").asText());
        assertFalse(Files.readString(file).contains("shared-secret"), "the secret itself is never written");
    }

    @Test
    void withoutUrlOrSecretThereIsNoMcpServerAtAll() throws Exception {
        Path file = dir.resolve("mcp.json");
        assertEquals(List.of("--strict-mcp-config"),
                ClaudeCliCommand.mcpFlags(Optional.empty(), Optional.of("shared-secret"), "thread-1", file));
        assertEquals(List.of("--strict-mcp-config"),
                ClaudeCliCommand.mcpFlags(Optional.of("http://127.0.0.1:8081/mcp"), Optional.empty(), "thread-1", file));
        assertFalse(Files.exists(file));
    }
}
