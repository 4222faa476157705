package io.mainloop.agent;

import static io.mainloop.agent.AgentEvents.only;
import static io.mainloop.agent.AgentEvents.send;
import static io.mainloop.agent.AgentEvents.untilEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.ContextMessage;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.ClaudeStandInTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The assistant runs with permissions bypassed, so it is contained: it cannot read the owner
 * token, PostgreSQL's data or another thread's workspace; its context never goes on the command
 * line (so a huge, multi-byte context works); a hostile thread id cannot leave the workspace root.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class ContainmentTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mainloop.agent.sandbox.data-dir")
    Path dataDir;

    @ConfigProperty(name = "mainloop.agent.workspace-dir")
    Path workspaces;

    TopicProbe kafka;
    String thread;

    @BeforeEach
    void probe() {
        kafka = new TopicProbe(bootstrap);
        thread = "thread-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    private AgentEvent.ToolResult bash(String threadId, String command) {
        return tool(threadId, "Bash", command);
    }

    private AgentEvent.ToolResult tool(String threadId, String tool, String input) {
        TurnRequested turn = AgentEvents.turn(threadId, "[[tool:" + tool + ":" + input + "]]");
        send(kafka, turn, threadId);
        List<AgentEvent> events = untilEnd(kafka, turn.turnId());
        assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast(), events.getLast().toString());
        return only(events, AgentEvent.ToolResult.class).getFirst();
    }

    @Test
    void theAssistantCannotReadTheOwnerToken() {
        AgentEvent.ToolResult result = bash(thread, "cat " + dataDir.resolve("owner-token"));
        assertFalse(result.output().contains(ClaudeStandInTestResource.FAKE_OWNER_TOKEN), result.output());
    }

    @Test
    void theAssistantsReadToolCannotReadTheOwnerToken() {
        AgentEvent.ToolResult result = tool(thread, "Read", dataDir.resolve("owner-token").toString());
        assertFalse(result.output().contains(ClaudeStandInTestResource.FAKE_OWNER_TOKEN), result.output());
    }

    @Test
    void theAssistantCannotReadPostgresData() {
        AgentEvent.ToolResult result = bash(thread, "cat " + dataDir.resolve("postgres/PG_VERSION"));
        assertFalse(result.output().contains(ClaudeStandInTestResource.FAKE_PG_DATA), result.output());
    }

    @Test
    void theAssistantCannotReadAnotherThreadsWorkspace() throws Exception {
        String other = "thread-" + UUID.randomUUID();
        bash(other, "echo other-threads-secret > notes.txt");
        assertTrue(Files.readString(workspaces.resolve(other).resolve("notes.txt")).contains("other-threads-secret"));

        AgentEvent.ToolResult result = bash(thread, "cat " + workspaces.resolve(other).resolve("notes.txt"));
        assertFalse(result.output().contains("other-threads-secret"), result.output());
    }

    @Test
    void theAssistantWritesInItsOwnWorkspaceButNowhereElse() {
        AgentEvent.ToolResult own = bash(thread, "echo mine > mine.txt && cat mine.txt");
        assertTrue(own.output().contains("mine"), own.output());
        assertTrue(Files.exists(workspaces.resolve(thread).resolve("mine.txt")));

        bash(thread, "echo escaped > " + dataDir.resolve("escaped.txt"));
        assertFalse(Files.exists(dataDir.resolve("escaped.txt")), "wrote outside its workspace");
    }

    @Test
    void theAssistantCannotReadOtherProcessesThroughProc() {
        long pid = ProcessHandle.current().pid(); // this JVM: agent-service, with its secrets in its environment
        AgentEvent.ToolResult result = tool(thread, "Read", "/proc/" + pid + "/environ");
        assertFalse(result.output().contains("PATH="), result.output());
    }

    @Test
    void aHookTheAssistantWritesIntoItsWorkspaceSettingsNeverRuns() throws Exception {
        bash(thread, "echo first turn");
        Path marker = dataDir.resolve("hook-ran-" + UUID.randomUUID());
        String hook = "{\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[{\"type\":\"command\","
                + "\"command\":\"touch " + marker + "\"}]}]}}";
        for (Path settings : List.of(workspaces.resolve(thread).resolve(".claude/settings.json"),
                workspaces.resolve(thread).resolve(".claude/settings.local.json"),
                workspaces.resolve(thread).resolve(".home/.claude/settings.json"))) {
            Files.createDirectories(settings.getParent());
            Files.writeString(settings, hook);
        }
        bash(thread, "echo second turn");
        assertFalse(Files.exists(marker), "a hook from the workspace ran outside the sandbox");
    }

    @Test
    void theAssistantDoesNotSeeTheServicesEnvironment() {
        AgentEvent.ToolResult result = bash(thread, "env");
        assertFalse(result.output().contains("QUARKUS_"), result.output());
        assertFalse(result.output().contains("KAFKA_"), result.output());
        assertTrue(result.output().contains("HOME="), result.output());
    }

    @Test
    void aHostileThreadIdStaysInsideTheWorkspaceRoot() throws Exception {
        String hostile = "..";
        bash(hostile, "echo contained > contained.txt");
        try (var found = Files.walk(workspaces)) {
            assertTrue(found.anyMatch(p -> p.getFileName().toString().equals("contained.txt")),
                    "the file is somewhere under the workspace root");
        }
        assertFalse(Files.exists(dataDir.resolve("contained.txt")));
    }

    @Test
    void aContextOf120000CjkCharactersReachesTheModel() {
        String cjk = "記憶".repeat(60_000); // 120,000 characters, 360,000 bytes of UTF-8
        TurnRequested turn = new TurnRequested(UUID.randomUUID(), Instant.now(), 1, thread, UUID.randomUUID(),
                List.of(UUID.randomUUID()), "[[reply:read it]]", "You are mainloop.",
                List.of(new ContextMessage(UUID.randomUUID(), Role.USER, cjk, Instant.now())), 120_000);
        send(kafka, turn, thread);
        List<AgentEvent> events = untilEnd(kafka, turn.turnId());

        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast(),
                events.getLast().toString());
        assertEquals("read it", done.text());
        boolean seen = ClaudeStandInTestResource.standIn().requests().stream()
                .map(JsonNode::toString)
                .anyMatch(body -> body.contains(cjk));
        assertTrue(seen, "the model received the whole context");
    }
}
