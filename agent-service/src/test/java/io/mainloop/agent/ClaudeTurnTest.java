package io.mainloop.agent;

import static io.mainloop.agent.AgentEvents.only;
import static io.mainloop.agent.AgentEvents.send;
import static io.mainloop.agent.AgentEvents.turn;
import static io.mainloop.agent.AgentEvents.untilEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.ClaudeStandInTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.support.mcp.McpTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent-service runs the real Claude Code CLI (against the stand-in API) for turns from real Kafka. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class ClaudeTurnTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

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

    @Test
    void aTextReplyStreamsAndCompletesWithUsage() {
        TurnRequested turn = turn(thread, "Hello [[reply:Hello from the stand-in, streamed in pieces.]]");
        send(kafka, turn, thread);
        List<AgentEvent> events = untilEnd(kafka, turn.turnId());

        assertInstanceOf(AgentEvent.TurnStarted.class, events.getFirst());
        List<AgentEvent.TextDelta> deltas = only(events, AgentEvent.TextDelta.class);
        assertTrue(deltas.size() > 1, "streamed in several deltas");
        assertEquals("Hello from the stand-in, streamed in pieces.",
                deltas.stream().map(AgentEvent.TextDelta::text).collect(Collectors.joining()));
        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast());
        assertEquals("Hello from the stand-in, streamed in pieces.", done.text());
        assertTrue(done.usage().inputTokens() > 0 && done.usage().outputTokens() > 0, done.usage().toString());
        assertTrue(done.durationMs() > 0);
        assertEquals(1, done.numTurns());

        // the model is offered the configured built-in tools, not Claude Code's own sub-agents and wake-ups
        JsonNode sent = ClaudeStandInTestResource.standIn().requests().stream()
                .filter(r -> r.path("messages").toString().contains("Hello from the stand-in, streamed in pieces."))
                .findFirst().orElseThrow();
        List<String> tools = new java.util.ArrayList<>();
        sent.path("tools").forEach(t -> tools.add(t.path("name").asText()));
        for (String tool : List.of("Bash", "Read", "Edit", "Write", "Glob", "Grep", "WebFetch")) {
            assertTrue(tools.contains(tool), tool + " offered: " + tools);
        }
        for (String tool : List.of("Agent", "Workflow", "ScheduleWakeup")) {
            assertFalse(tools.contains(tool), tool + " not offered: " + tools);
        }
    }

    @Test
    void aHeartbeatTurnRunsLightWithoutToolsOnItsModel() {
        String marker = "checklist-" + UUID.randomUUID();
        TurnRequested plain = turn(thread, "Heartbeat. ## Checklist\n- " + marker + " [[reply:HEARTBEAT_OK]]");
        TurnRequested beat = new TurnRequested(plain.eventId(), plain.occurredAt(), plain.schemaVersion(), thread,
                plain.turnId(), List.of(), plain.prompt(), "You are woken by a heartbeat. Reply HEARTBEAT_OK if nothing.",
                List.of(), 60, io.mainloop.contracts.TurnKind.HEARTBEAT, "haiku");
        send(kafka, beat, thread);
        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class, untilEnd(kafka, beat.turnId()).getLast());
        assertEquals("HEARTBEAT_OK", done.text());

        JsonNode sent = ClaudeStandInTestResource.standIn().requests().stream()
                .filter(r -> r.path("messages").toString().contains(marker)).findFirst().orElseThrow();
        assertEquals(0, sent.path("tools").size(), "no tools offered: " + sent.path("tools"));
        assertTrue(sent.path("model").asText().contains("haiku"), sent.path("model").asText());
        String system = sent.path("system").toString();
        assertTrue(system.contains("You are woken by a heartbeat."), system);
        // what the model read, as the CLI reports it: the light context, not a session's worth
        assertTrue(done.usage().inputTokens() < 2000, "input tokens " + done.usage().inputTokens());
    }

    @Test
    void aTurnCompletesWhileTheMemoryServersMcpIsUnreachable() throws Exception {
        // the test resource points mainloop.agent.memory-mcp.url where nothing listens
        TurnRequested turn = turn(thread, "[[reply:done without memory tools]]");
        send(kafka, turn, thread);
        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class,
                untilEnd(kafka, turn.turnId()).getLast());
        assertEquals("done without memory tools", done.text());

        Path mcp = workspaces.resolve(thread).resolve(".mainloop/mcp.json"); // the thread's, the same for every turn
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mcp)));
        JsonNode memory = AgentEvents.JSON.readTree(mcp.toFile()).path("mcpServers").path("memory");
        assertEquals(ClaudeStandInTestResource.UNREACHABLE_MCP_URL, memory.path("url").asText());
        assertEquals("Bearer " + McpTokens.token(ClaudeStandInTestResource.FAKE_MCP_SECRET, thread),
                memory.path("headers").path("Authorization").asText());
    }

    @Test
    void aBashToolRoundTripIsReported() {
        TurnRequested turn = turn(thread, "[[tool:Bash:echo hello-from-bash]]");
        send(kafka, turn, thread);
        List<AgentEvent> events = untilEnd(kafka, turn.turnId());

        AgentEvent.ToolCall call = only(events, AgentEvent.ToolCall.class).getFirst();
        assertEquals("Bash", call.name());
        assertEquals("echo hello-from-bash", call.input().path("command").asText());
        AgentEvent.ToolResult result = only(events, AgentEvent.ToolResult.class).getFirst();
        assertEquals(call.toolUseId(), result.toolUseId());
        assertTrue(result.output().contains("hello-from-bash"), result.output());
        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast());
        assertEquals("The tool said: hello-from-bash", done.text());
        assertEquals(2, done.numTurns());
    }

    @Test
    void narrationBeforeAToolCallIsItsOwnTextBlock() {
        TurnRequested turn = turn(thread, "[[say:I will run a command.]] [[tool:Bash:echo narrated]]");
        send(kafka, turn, thread);
        List<AgentEvent> events = untilEnd(kafka, turn.turnId());

        List<AgentEvent.TextBlock> blocks = only(events, AgentEvent.TextBlock.class);
        assertEquals(List.of("I will run a command.", "The tool said: narrated"),
                blocks.stream().map(AgentEvent.TextBlock::text).toList());
        assertEquals(List.of(0, 1), blocks.stream().map(AgentEvent.TextBlock::block).toList());
        List<AgentEvent.TextDelta> deltas = only(events, AgentEvent.TextDelta.class);
        for (int block = 0; block < 2; block++) {
            int b = block;
            assertEquals(blocks.get(b).text(), deltas.stream().filter(d -> d.block() == b)
                    .map(AgentEvent.TextDelta::text).collect(Collectors.joining()), "deltas of block " + b);
        }
        int toolAt = events.indexOf(only(events, AgentEvent.ToolCall.class).getFirst());
        assertTrue(events.indexOf(blocks.get(0)) < toolAt && toolAt < events.indexOf(blocks.get(1)),
                "narration, tool call, answer, in that order");
    }

    @Test
    void anApiErrorFailsTheTurnWithTheCliMessage() {
        TurnRequested turn = turn(thread, "[[error:529]]");
        send(kafka, turn, thread);
        AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class,
                untilEnd(kafka, turn.turnId()).getLast());
        assertEquals(AgentEvent.FailureReason.API_ERROR, failed.reason());
        assertTrue(failed.message().contains("529"), failed.message());
    }

    @Test
    void aCancelledTurnStopsAndSaysSo() {
        TurnRequested turn = turn(thread, "[[slow:300]] please take your time with this long answer");
        send(kafka, turn, thread);
        kafka.await(Topics.AGENT_EVENTS, v -> v.contains(turn.turnId().toString()) && v.contains("text.delta"), 1,
                AgentEvents.WAIT);
        send(kafka, AgentCommand.CancelTurn.of(thread, turn.turnId()), thread);

        AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class,
                untilEnd(kafka, turn.turnId()).getLast());
        assertEquals(AgentEvent.FailureReason.CANCELLED, failed.reason());
    }

    @Test
    void aRedeliveredTurnRequestDoesNotRunAFinishedTurnAgain() {
        TurnRequested turn = turn(thread, "[[reply:once]]");
        send(kafka, turn, thread);
        untilEnd(kafka, turn.turnId());
        send(kafka, turn, thread);
        TurnRequested next = turn(thread, "[[reply:next]]"); // processed after the redelivery, in order
        send(kafka, next, thread);
        untilEnd(kafka, next.turnId());

        assertEquals(1, only(untilEnd(kafka, turn.turnId()), AgentEvent.TurnStarted.class).size());
    }

    @Test
    void turnsOfDifferentThreadsRunSideBySide() {
        String other = "thread-" + UUID.randomUUID();
        TurnRequested slow = turn(thread, "[[slow:300]] a slow answer that takes a few seconds to stream out");
        TurnRequested quick = turn(other, "[[reply:quick]]");
        send(kafka, slow, thread);
        kafka.await(Topics.AGENT_EVENTS, v -> v.contains(slow.turnId().toString()) && v.contains("text.delta"), 1,
                AgentEvents.WAIT);
        send(kafka, quick, other);
        untilEnd(kafka, quick.turnId());
        assertTrue(kafka.readAll(Topics.AGENT_EVENTS, v -> v.contains(slow.turnId().toString())
                && (v.contains("turn.completed") || v.contains("turn.failed"))).isEmpty(),
                "the other thread's turn did not wait for the slow one");
        untilEnd(kafka, slow.turnId());
    }

    @Test
    void turnsOfAThreadRunOneAtATimeInOrder() {
        TurnRequested first = turn(thread, "[[slow:50]] first");
        TurnRequested second = turn(thread, "[[reply:second]]");
        send(kafka, first, thread);
        send(kafka, second, thread);
        untilEnd(kafka, second.turnId());
        List<String> kinds = kafka.readAll(Topics.AGENT_EVENTS, v -> v.contains(thread)).stream()
                .map(AgentEvents::parse)
                .filter(e -> e instanceof AgentEvent.TurnStarted || e instanceof AgentEvent.TurnCompleted)
                .map(e -> e.getClass().getSimpleName() + ":" + (e.turnId().equals(first.turnId()) ? 1 : 2))
                .toList();
        assertEquals(List.of("TurnStarted:1", "TurnCompleted:1", "TurnStarted:2", "TurnCompleted:2"), kinds);
    }

    @Test
    void aCliThatDoesNotEndAfterItsAnswerIsStoppedAndTheThreadsNextTurnRuns() {
        // its CLI runs on for 10 minutes after answering, as long as the turn timeout here: the next
        // turn is answered within AgentEvents.WAIT only if the lingering CLI is stopped soon after its answer
        TurnRequested plain = turn(thread, "[[reply:answered, then lingering]]");
        TurnRequested lingering = new TurnRequested(plain.eventId(), plain.occurredAt(), plain.schemaVersion(), thread,
                plain.turnId(), plain.replyTo(), plain.prompt(), plain.systemPrompt(), plain.context(),
                plain.contextTokens(), io.mainloop.contracts.TurnKind.CHAT, ClaudeStandInTestResource.LINGERING_MODEL);
        TurnRequested next = turn(thread, "[[reply:the next one]]");
        send(kafka, lingering, thread);
        send(kafka, next, thread);

        List<AgentEvent> first = untilEnd(kafka, lingering.turnId());
        assertEquals("answered, then lingering",
                assertInstanceOf(AgentEvent.TurnCompleted.class, first.getLast()).text());
        assertEquals("the next one",
                assertInstanceOf(AgentEvent.TurnCompleted.class, untilEnd(kafka, next.turnId()).getLast()).text());
        String session = only(first, AgentEvent.TurnStarted.class).getFirst().sessionId();
        assertEquals(List.of(), ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(session)).map(ProcessHandle::pid).toList(),
                "the lingering CLI was stopped");
    }

    @jakarta.inject.Inject
    io.mainloop.agent.retention.TurnFilesRetention retention;

    @Test
    void aTurnsFilesAreDeletedAfterTheRetentionAndTheAssistantsOwnFilesStay(@TempDir Path outside) throws Exception {
        TurnRequested old = turn(thread, "[[reply:an old answer]]");
        send(kafka, old, thread);
        String oldSession = only(untilEnd(kafka, old.turnId()), AgentEvent.TurnStarted.class).getFirst().sessionId();
        Path workspace = workspaces.resolve(thread);
        Path notes = Files.writeString(workspace.resolve("notes.md"), "the assistant's own work");
        // eight days pass for everything in the workspace (the retention is seven)
        java.nio.file.attribute.FileTime eightDaysAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(8)));
        try (var all = Files.walk(workspace)) {
            // not through links: the CLI's home links the machine user's own credentials file
            for (Path p : all.filter(f -> !Files.isSymbolicLink(f)).toList()) {
                Files.setLastModifiedTime(p, eightDaysAgo);
            }
        }
        // a link the assistant could plant in the swept temp dir, to old files outside the workspace
        Path precious = Files.writeString(outside.resolve("precious.txt"), "not the workspace's");
        Files.setLastModifiedTime(precious, eightDaysAgo);
        Files.createDirectories(workspace.resolve(".tmp"));
        Files.createSymbolicLink(workspace.resolve(".tmp/elsewhere"), outside);
        TurnRequested recent = turn(thread, "[[reply:a recent answer]]");
        send(kafka, recent, thread);
        String recentSession = only(untilEnd(kafka, recent.turnId()), AgentEvent.TurnStarted.class).getFirst().sessionId();

        assertTrue(retention.sweep(java.time.Instant.now()) > 0);
        Path turns = workspace.resolve(".mainloop/turns");
        assertTrue(Files.notExists(turns.resolve(old.turnId().toString())), "the old turn's files are gone");
        assertTrue(Files.isRegularFile(turns.resolve(recent.turnId().toString()).resolve("output.jsonl")),
                "the recent turn's are kept");
        List<String> transcripts;
        try (var all = Files.walk(workspace.resolve(".home/.claude/projects"))) {
            transcripts = all.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).toList();
        }
        assertTrue(transcripts.contains(recentSession + ".jsonl") && !transcripts.contains(oldSession + ".jsonl"),
                "the CLI's transcript of the old turn is gone, the recent one's kept: " + transcripts);
        assertEquals("the assistant's own work", Files.readString(notes), "files outside mainloop's and the CLI's own stay");
        assertTrue(Files.exists(precious), "a link is never followed out of the workspace");
    }
}
