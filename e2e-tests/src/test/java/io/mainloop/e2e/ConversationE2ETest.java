package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The owner's conversation through the whole system (gateway, Kafka, memory, agent with the real
 * Claude Code CLI, back over SSE), each service its own process: a streamed text reply, a Bash
 * tool round trip, an API error and a cancelled turn, all visible live and in the history.
 */
@ExtendWith(RunningStack.class)
class ConversationE2ETest {

    static final Duration TURN = Duration.ofSeconds(90);

    @Test
    void aMessageGetsAStreamedReplyThatIsStoredOnce(ThreadClient thread) {
        String word = "pong-" + UUID.randomUUID();
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("Say it back [[reply:The answer is " + word + ".]]");

            stream.await("message.stored", "messageId", posted.messageId(), TURN);
            // this message's turn (another one, e.g. an earlier test's task report, may run before it)
            Frame completed = stream.await(f -> f.event().equals("turn.completed") && f.field("text").contains(word), TURN);
            assertEquals("The answer is " + word + ".", completed.field("text"));
            String turnId = completed.field("turnId");
            assertTrue(stream.seen().stream().anyMatch(f -> f.event().equals("turn.started") && f.field("turnId").equals(turnId)),
                    "its start was streamed before its end");
            Frame reply = stream.await("message.stored", "turnId", turnId, TURN);
            assertEquals("ASSISTANT", reply.field("role"));

            String streamed = stream.seen().stream()
                    .filter(f -> f.event().equals("text.delta") && f.field("turnId").equals(turnId))
                    .map(f -> f.field("text")).collect(Collectors.joining());
            assertEquals("The answer is " + word + ".", streamed, "the deltas add up to the reply, in order");
            assertTrue(reply.json().path("usage").path("outputTokens").asLong() > 0, "usage is stored");
            assertTrue(reply.json().path("durationMs").asLong() > 0, "duration is stored");
        }
        List<JsonNode> history = thread.history(50);
        assertEquals(1, count(history, "USER", word), "the question, once");
        assertEquals(1, count(history, "ASSISTANT", word), "the answer, once");
        assertTrue(index(history, "USER", word) < index(history, "ASSISTANT", word), "newest last");
    }

    @Test
    void aBashToolCallRunsAndItsResultFlowsBack(ThreadClient thread) {
        String marker = "hello-" + UUID.randomUUID().toString().substring(0, 8);
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[tool:Bash:echo " + marker + "]]");
            stream.await("message.stored", "messageId", posted.messageId(), TURN);
            Frame call = stream.await(f -> f.event().equals("tool.call"), TURN);
            assertEquals("Bash", call.field("name"));
            assertEquals("echo " + marker, call.json().path("input").path("command").asText());
            Frame result = stream.await("tool.result", "toolUseId", call.field("toolUseId"), TURN);
            assertEquals(marker, result.field("output").strip());
            assertFalse(result.json().path("isError").asBoolean());
            Frame completed = stream.await(f -> f.event().startsWith("turn.") && !f.event().equals("turn.started"), TURN);
            assertEquals("turn.completed", completed.event(), completed.data());
            assertTrue(completed.field("text").contains(marker), "the model saw the tool's output");

            Frame reply = stream.await("message.stored", "turnId", call.field("turnId"), TURN);
            JsonNode tools = reply.json().path("toolCalls");
            assertEquals(1, tools.size(), "the stored reply keeps its tool call for the verbose view");
            assertEquals(marker, tools.get(0).path("output").asText().strip());
        }
    }

    @Test
    void anApiErrorEndsTheTurnWithAVisibleExplanation(ThreadClient thread) {
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("this one fails [[error:529]]");
            stream.await("message.stored", "messageId", posted.messageId(), TURN);
            Frame failed = stream.await(f -> f.event().startsWith("turn.") && !f.event().equals("turn.started"), TURN);
            assertEquals("turn.failed", failed.event());
            assertEquals("API_ERROR", failed.field("reason"));
            assertTrue(failed.field("message").contains("529") || failed.field("message").toLowerCase().contains("overloaded"),
                    failed.field("message"));
            Frame explained = stream.await("message.stored", "turnId", failed.field("turnId"), TURN);
            assertEquals("SYSTEM", explained.field("role"), "the failure is stored in the thread, explained");
        }
    }

    @Test
    void oneTraceIdFindsATurnInTheFailureAndInEveryServicesLog(LocalStack stack, ThreadClient thread) throws Exception {
        try (SseClient stream = thread.stream(null)) {
            thread.post("trace this failure [[error:529]]");
            Frame failed = stream.await(f -> f.event().equals("turn.failed"), TURN);
            String traceId = failed.field("traceId");
            assertTrue(traceId.matches("[0-9a-f]{32}"), "turn.failed names its trace: " + failed.data());
            for (String service : List.of("gateway-service", "memory-service", "agent-service")) {
                Path log = stack.logDir().resolve(service + ".log");
                Instant deadline = Instant.now().plus(TURN);
                while (!Files.readString(log).contains("\"traceId\":\"" + traceId + "\"")) {
                    assertTrue(Instant.now().isBefore(deadline), service + "'s log has no line of trace " + traceId);
                    Thread.sleep(100);
                }
            }
        }
    }

    @Test
    void aRunningTurnCanBeCancelled(ThreadClient thread) {
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[slow:500]] a long answer that takes many seconds to stream "
                    + "out in tiny pieces, long enough to cancel it halfway");
            stream.await("message.stored", "messageId", posted.messageId(), TURN);
            Frame delta = stream.await(f -> f.event().equals("text.delta"), TURN);
            assertEquals(202, thread.cancel(delta.field("turnId")));
            Frame failed = stream.await(f -> f.event().startsWith("turn.") && !f.event().equals("turn.started")
                    && f.field("turnId").equals(delta.field("turnId")), TURN);
            assertEquals("turn.failed", failed.event());
            assertEquals("CANCELLED", failed.field("reason"));
            Frame explained = stream.await("message.stored", "turnId", delta.field("turnId"), TURN);
            assertEquals("SYSTEM", explained.field("role"));
        }
    }

    static long count(List<JsonNode> history, String role, String text) {
        return history.stream().filter(m -> m.path("role").asText().equals(role) && m.path("text").asText().contains(text))
                .count();
    }

    static int index(List<JsonNode> history, String role, String text) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).path("role").asText().equals(role) && history.get(i).path("text").asText().contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
