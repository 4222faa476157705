package io.mainloop.agent;

import static io.mainloop.agent.AgentEvents.only;
import static io.mainloop.agent.AgentEvents.send;
import static io.mainloop.agent.AgentEvents.turn;
import static io.mainloop.agent.AgentEvents.untilEnd;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.agent.warm.WarmPool;
import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.ClaudeStandInTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warm turns with the real CLI against the stand-in: after a turn, the thread's next CLI waits on
 * stdin; the next turn runs on it (and says so in {@code turn.started}) in a session of its own
 * that holds nothing of the previous turn but the context it is given; a turn it does not fit
 * (another model) starts cold; cancel, the sandbox and idle expiry work on the waiting CLI as on
 * a cold one (the timeout: {@link TurnTimeoutTest}, same profile).
 */
@QuarkusTest
@TestProfile(WarmTurnsProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class WarmTurnTest {

    static final Duration READY = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mainloop.agent.sandbox.data-dir")
    Path dataDir;

    @Inject
    WarmPool pool;

    TopicProbe kafka;
    String thread;

    @BeforeEach
    void probe() {
        kafka = new TopicProbe(bootstrap);
        thread = "warm-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        pool.reap(Instant.now().plus(Duration.ofDays(1))); // ends every waiting CLI: the next test starts from none
        kafka.close();
    }

    @Test
    void theNextTurnRunsOnTheCliStartedAheadInASessionOfItsOwn() {
        TurnRequested first = turn(thread, "My locker code is 4471-tangerine. [[reply:Noted.]]");
        send(kafka, first, thread);
        List<AgentEvent> firstEvents = untilEnd(kafka, first.turnId());
        AgentEvent.TurnStarted coldStart = only(firstEvents, AgentEvent.TurnStarted.class).getFirst();
        assertEquals(Boolean.FALSE, coldStart.warm(), "nothing waited for the thread's first turn");
        assertInstanceOf(AgentEvent.TurnCompleted.class, firstEvents.getLast());

        long waitingPid = awaitWaiting(thread);
        TurnRequested second = turn(thread, "What did I ask you? [[reply:Nothing I can recall.]]");
        send(kafka, second, thread);
        List<AgentEvent> events = untilEnd(kafka, second.turnId());
        AgentEvent.TurnStarted warmStart = only(events, AgentEvent.TurnStarted.class).getFirst();
        assertEquals(Boolean.TRUE, warmStart.warm(), "the waiting CLI ran it");
        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast());
        assertEquals("Nothing I can recall.", done.text());
        assertEquals("Nothing I can recall.", only(events, AgentEvent.TextDelta.class).stream()
                .map(AgentEvent.TextDelta::text).collect(Collectors.joining()), "streamed as a cold turn is");
        assertNotEquals(coldStart.sessionId(), warmStart.sessionId(), "a session of its own");
        assertTrue(ProcessHandle.of(waitingPid).map(p -> !p.isAlive()).orElse(true), "it ran one turn and exited");
        // it had loaded itself while it waited: the CLI answered the initialize and get_context_usage
        // requests it got at start (its system prompt and tools' definitions built then)
        String output = readOutput(second);
        List<String> replies = output.lines().filter(l -> l.startsWith("{\"type\":\"control_response\"")).toList();
        assertEquals(2, replies.size(), "the waiting CLI's replies: " + output.substring(0, Math.min(300, output.length())));
        assertTrue(replies.get(0).contains("\"request_id\":\"mainloop-warm-init\"") && replies.get(0).contains("\"subtype\":\"success\""),
                "the waiting CLI did not accept initialize: " + replies.get(0).substring(0, Math.min(300, replies.get(0).length())));
        assertTrue(replies.get(1).contains("\"request_id\":\"mainloop-warm-context\"") && replies.get(1).contains("\"totalTokens\""),
                "the waiting CLI did not count its context: " + replies.get(1).substring(0, Math.min(300, replies.get(1).length())));
        assertTrue(output.startsWith(replies.get(0) + "\n" + replies.get(1) + "\n"),
                "both answered before the turn: " + output.substring(0, 200));

        // what the model got for the second turn: one user message, its context and new message, and
        // nothing of the first turn's conversation (the context here holds only "earlier")
        JsonNode request = requestContaining("What did I ask you?");
        List<JsonNode> userMessages = request.path("messages").findParents("role").stream()
                .filter(m -> "user".equals(m.path("role").asText())).toList();
        assertEquals(1, userMessages.size(), "one user message: " + request.path("messages"));
        String sent = request.path("messages").toString();
        assertFalse(sent.contains("4471-tangerine"), "the first turn leaked into the second: " + sent);
        assertTrue(sent.contains("<context>") && sent.contains("You are mainloop."), "its context came with it");
        // nor a memory of Claude Code's own, kept in the workspace from one turn to the next
        assertFalse(request.path("system").toString().contains("file-based memory"),
                "Claude Code's auto-memory is on: " + request.path("system"));
    }

    @Test
    void aTurnOnAnotherModelStartsColdAndTheWaitingCliIsEnded() {
        warmUp();
        long waitingPid = awaitWaiting(thread);
        TurnRequested plain = turn(thread, "[[reply:On haiku.]]");
        TurnRequested onHaiku = new TurnRequested(plain.eventId(), plain.occurredAt(), plain.schemaVersion(), thread,
                plain.turnId(), plain.replyTo(), plain.prompt(), plain.systemPrompt(), plain.context(),
                plain.contextTokens(), io.mainloop.contracts.TurnKind.SCHEDULED, "haiku");
        send(kafka, onHaiku, thread);
        List<AgentEvent> events = untilEnd(kafka, onHaiku.turnId());
        assertEquals(Boolean.FALSE, only(events, AgentEvent.TurnStarted.class).getFirst().warm(),
                "a CLI started for the default model does not run a haiku turn");
        assertEquals("On haiku.", assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast()).text());
        assertTrue(requestContaining("On haiku.").path("model").asText().contains("haiku"));
        assertTrue(ProcessHandle.of(waitingPid).map(p -> !p.isAlive()).orElse(true), "the unfit waiting CLI was ended");
    }

    @Test
    void aWarmTurnIsCancelledLikeAColdOne() {
        warmUp();
        awaitWaiting(thread);
        TurnRequested slow = turn(thread, "[[slow:300]] please take your time with this long answer");
        send(kafka, slow, thread);
        kafka.await(Topics.AGENT_EVENTS, v -> v.contains(slow.turnId().toString()) && v.contains("text.delta"), 1,
                AgentEvents.WAIT);
        send(kafka, AgentCommand.CancelTurn.of(thread, slow.turnId()), thread);
        List<AgentEvent> events = untilEnd(kafka, slow.turnId());
        assertEquals(Boolean.TRUE, only(events, AgentEvent.TurnStarted.class).getFirst().warm());
        AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class, events.getLast());
        assertEquals(AgentEvent.FailureReason.CANCELLED, failed.reason());
    }

    @Test
    void aWarmTurnRunsInTheSandboxLikeAColdOne() {
        warmUp();
        awaitWaiting(thread);
        TurnRequested peek = turn(thread, "[[tool:Bash:cat " + dataDir.resolve("owner-token") + "]]");
        send(kafka, peek, thread);
        List<AgentEvent> events = untilEnd(kafka, peek.turnId());
        assertEquals(Boolean.TRUE, only(events, AgentEvent.TurnStarted.class).getFirst().warm());
        AgentEvent.ToolResult result = only(events, AgentEvent.ToolResult.class).getFirst();
        assertFalse(result.output().contains(ClaudeStandInTestResource.FAKE_OWNER_TOKEN), result.output());
    }

    @Test
    void aWaitingCliIsEndedAfterItsIdleTimeAndShowsInMetrics() {
        warmUp();
        long waitingPid = awaitWaiting(thread);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("mainloop_agent_warm_processes") && !l.endsWith(" 0.0")), metrics);
        double rss = metrics.lines().filter(l -> l.startsWith("mainloop_agent_warm_resident_memory_bytes"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
        assertTrue(rss > 10_000_000, "a waiting CLI holds tens of MB: " + rss);

        assertEquals(0, pool.reap(Instant.now()), "not idle long enough yet");
        assertTrue(pool.isWaiting(thread));
        assertTrue(pool.reap(Instant.now().plus(Duration.ofMinutes(6))) >= 1, "idle for longer than 5 min");
        assertFalse(pool.isWaiting(thread));
        assertTrue(ProcessHandle.of(waitingPid).map(p -> !p.isAlive()).orElse(true), "its process ended");

        TurnRequested next = turn(thread, "[[reply:Back.]]");
        send(kafka, next, thread);
        List<AgentEvent> events = untilEnd(kafka, next.turnId());
        assertEquals(Boolean.FALSE, only(events, AgentEvent.TurnStarted.class).getFirst().warm(), "nothing waited: cold");
        assertEquals("Back.", assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast()).text());
    }

    // --- helpers ---

    @Inject
    io.mainloop.agent.service.Workspaces workspaces;

    /** What the CLI of {@code turn} wrote to stdout (its turn's output file). */
    private String readOutput(TurnRequested turn) {
        try {
            return java.nio.file.Files.readString(io.mainloop.agent.service.TurnFiles
                    .of(workspaces.of(turn.threadId()), turn.turnId()).output());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A first turn of the thread, after which its next CLI is started ahead. */
    private void warmUp() {
        TurnRequested first = turn(thread, "[[reply:Hello.]]");
        send(kafka, first, thread);
        untilEnd(kafka, first.turnId());
    }

    /** Waits until a CLI waits for the thread's next turn; its pid. */
    private long awaitWaiting(String threadId) {
        Instant deadline = Instant.now().plus(READY);
        while (!pool.isWaiting(threadId)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no CLI was started ahead of " + threadId + "'s next turn");
            }
            try {
                Thread.sleep(20); // polling interval of the wait, not a timing assumption
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return pool.waitingPid(threadId).orElseThrow();
    }

    private static JsonNode requestContaining(String text) {
        return ClaudeStandInTestResource.standIn().requests().stream()
                .filter(r -> r.path("messages").toString().contains(text)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the stand-in got no request with " + text));
    }
}
