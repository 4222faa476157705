package io.mainloop.devstack.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.devstack.claude.ClaudeCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real, pinned Claude Code CLI runs offline against the stand-in API. */
class ClaudeCodeAgainstStandInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static StandInAnthropicApi api;
    private static Path claude;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        claude = ClaudeCode.ensureInstalled();
        api = StandInAnthropicApi.start(0);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void streamsATextReply() throws Exception {
        List<JsonNode> lines = run("Hello there [[reply:Hi from the stand-in]]");
        JsonNode result = lines.getLast();
        assertEquals("result", result.path("type").asText());
        assertFalse(result.path("is_error").asBoolean(), result.toString());
        assertEquals("Hi from the stand-in", result.path("result").asText());
        String streamed = lines.stream().filter(l -> "stream_event".equals(l.path("type").asText()))
                .map(l -> l.path("event").path("delta").path("text").asText(""))
                .reduce("", String::concat);
        assertEquals("Hi from the stand-in", streamed, "text arrives as partial deltas");
    }

    @Test
    void runsABashToolRoundTrip() throws Exception {
        List<JsonNode> lines = run("[[tool:Bash:echo hello-from-bash]]");
        JsonNode toolResult = lines.stream().filter(l -> "user".equals(l.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no tool_result line: " + lines));
        assertTrue(toolResult.toString().contains("hello-from-bash"), toolResult.toString());
        JsonNode result = lines.getLast();
        assertFalse(result.path("is_error").asBoolean(), result.toString());
        assertEquals("The tool said: hello-from-bash", result.path("result").asText());
        assertEquals(2, result.path("num_turns").asInt());
    }

    @Test
    void reportsAnApiErrorAsIsError() throws Exception {
        List<JsonNode> lines = run("[[error:529]]");
        JsonNode result = lines.getLast();
        assertTrue(result.path("is_error").asBoolean(), result.toString());
    }

    private List<JsonNode> run(String prompt) throws Exception {
        List<String> command = new ArrayList<>(List.of(claude.toString(), "-p", prompt));
        command.addAll(ClaudeCode.headlessArgs());
        command.addAll(List.of("--allowedTools", "Bash"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Files.createDirectories(home.resolve("ws")).toFile());
        builder.environment().putAll(ClaudeCode.offlineEnvironment(home, api.baseUrl()));
        builder.environment().put("IS_SANDBOX", "1");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process cli = builder.start();
        List<JsonNode> lines = new ArrayList<>();
        try (var out = cli.inputReader()) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "CLI finished");
        assertFalse(lines.isEmpty(), "CLI printed stream-json");
        return lines;
    }
}
