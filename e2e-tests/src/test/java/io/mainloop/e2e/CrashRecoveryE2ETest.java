package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing accepted is lost, nothing is stored or shown twice, nothing the agent did happens
 * twice: memory-service and agent-service are stopped (SIGTERM) or killed (SIGKILL) after a
 * message was accepted and before its reply, then started again; the reply arrives, the question
 * and the answer are each in the history once and reach the stream as one message each, and a
 * restarted agent-service re-attaches to the turn's CLI instead of running the turn again.
 */
@ExtendWith(RunningStack.class)
class CrashRecoveryE2ETest {

    static final Duration RECOVERY = Duration.ofSeconds(120);

    @Test
    void memoryServiceStoppedBeforeTheMessageIsStored(LocalStack stack, ThreadClient thread) {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            stack.stopService("memory-service");
            ThreadClient.Posted posted = thread.post("while memory is down [[reply:" + word + "]]");
            stack.startService("memory-service");
            assertAnsweredOnce(thread, stream, posted, word);
        }
    }

    @Test
    void memoryServiceKilledWhileTheTurnRuns(LocalStack stack, ThreadClient thread) {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[slow:150]] memory dies during this turn [[reply:" + word
                    + " and a few more words to stream slowly]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            stream.await(f -> f.event().equals("text.delta"), RECOVERY);
            stack.killService("memory-service");
            stack.startService("memory-service");
            assertAnsweredOnce(thread, stream, posted, word);
        }
    }

    @Test
    void agentServiceStoppedWhileTheTurnRuns(LocalStack stack, ThreadClient thread) {
        assertFollowedThroughAnAgentRestart(stack, thread, () -> stack.stopService("agent-service"));
    }

    @Test
    void agentServiceKilledWhileTheTurnRuns(LocalStack stack, ThreadClient thread) {
        assertFollowedThroughAnAgentRestart(stack, thread, () -> stack.killService("agent-service"));
    }

    @Test
    void agentServiceKilledWhileAWarmTurnRunsReattachesToIt(LocalStack stack, ThreadClient thread) throws Exception {
        try (SseClient stream = thread.stream(null)) {
            thread.post("[[reply:warming up]]");
            stream.await(f -> f.event().equals("message.stored") && f.field("role").equals("ASSISTANT")
                    && f.field("text").contains("warming up"), RECOVERY);
            awaitWaitingCli(stack);
            String word = word();
            ThreadClient.Posted posted = thread.post("[[slow:150]] the agent dies during this warm turn [[reply:"
                    + word + " and a few more words to stream slowly]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            Frame started = stream.await(f -> f.event().equals("turn.started"), RECOVERY);
            assertEquals("true", started.field("warm"), "the CLI started ahead of the turn runs it: " + started.data());
            stream.await(f -> f.event().equals("text.delta"), RECOVERY);
            stack.killService("agent-service");
            stack.startService("agent-service");
            assertAnsweredOnce(thread, stream, posted, word);
            assertEquals(1, modelRequests(stack, word), "the warm turn was followed to its end, not run again");
        }
    }

    /** Waits until agent-service reports a CLI waiting for the next turn ({@code /q/metrics}). */
    private static void awaitWaitingCli(LocalStack stack) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI metrics = java.net.URI.create("http://localhost:" + stack.port("agent-service") + "/q/metrics");
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (System.nanoTime() < deadline) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(metrics).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (body.lines().anyMatch(l -> l.startsWith("mainloop_agent_warm_processes") && !l.endsWith(" 0.0"))) {
                return;
            }
            Thread.sleep(100); // polling interval of the wait, not a timing assumption
        }
        throw new AssertionError("agent-service started no CLI ahead of the next turn");
    }

    /** Interrupts agent-service mid-turn, starts it again: the turn ends once, the model asked once. */
    private static void assertFollowedThroughAnAgentRestart(LocalStack stack, ThreadClient thread, Runnable interrupt) {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[slow:150]] the agent goes away during this turn [[reply:"
                    + word + " and a few more words to stream slowly]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            stream.await(f -> f.event().equals("text.delta"), RECOVERY);
            interrupt.run();
            stack.startService("agent-service");
            assertAnsweredOnce(thread, stream, posted, word);
            assertEquals(1, modelRequests(stack, word), "the turn was followed to its end, not run again");
        }
    }

    @Test
    void agentServiceKilledWhileATurnsToolRunsTheToolRunsOnce(LocalStack stack, ThreadClient thread) throws Exception {
        String word = word();
        Path sideEffects = stack.dataDir().resolve("workspaces").resolve("main").resolve("side-effects.txt");
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[tool:Bash:echo " + word + " >> side-effects.txt; sleep 3; echo "
                    + word + "-done]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            stream.await(f -> f.event().equals("tool.call") && f.data().contains(word), RECOVERY);
            stack.killService("agent-service");
            stack.startService("agent-service");
            Frame reply = stream.await(f -> f.event().equals("message.stored") && f.field("role").equals("ASSISTANT")
                    && f.field("text").contains(word + "-done"), RECOVERY);
            assertEquals("ASSISTANT", reply.field("role"));
        }
        long lines = Files.readAllLines(sideEffects).stream().filter(l -> l.equals(word)).count();
        assertEquals(1, lines, "the tool's side effect happened once");
        List<JsonNode> history = thread.history(50);
        assertEquals(1, ConversationE2ETest.count(history, "ASSISTANT", word + "-done"), "the answer is stored once");
    }

    @Test
    void aCancelSentWhileAgentServiceRestartsStillCancels(LocalStack stack, ThreadClient thread) {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            // streams for about 4 minutes (230 pieces, 1 s apart): far longer than agent-service takes to restart
            // on a loaded machine; the cancel ends it long before
            ThreadClient.Posted posted = thread.post("[[slow:1000]] cancel me while the agent is down [[reply:" + word
                    + " " + "and more ".repeat(100) + "]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            Frame started = stream.await(f -> f.event().equals("turn.started"), RECOVERY);
            stack.stopService("agent-service");
            assertEquals(202, thread.cancel(started.field("turnId")));
            stack.startService("agent-service");
            Frame failed = stream.await(f -> f.event().equals("turn.failed")
                    && f.field("turnId").equals(started.field("turnId")), RECOVERY);
            assertEquals("CANCELLED", failed.field("reason"));
        }
    }

    /** How many Messages API requests the stand-in got whose body names {@code word}. */
    private static long modelRequests(LocalStack stack, String word) {
        return stack.standIn().orElseThrow().requests().stream().filter(r -> r.toString().contains(word)).count();
    }

    /**
     * The reply arrives on the stream; history and stream hold the question and the answer once each.
     *
     * @return the answer's {@code message.stored} event
     */
    static Frame assertAnsweredOnce(ThreadClient thread, SseClient stream, String word) {
        Frame question = stream.awaitAny(f -> f.event().equals("message.stored") && f.field("role").equals("USER")
                && f.field("text").contains(word), RECOVERY);
        return assertAnsweredOnce(thread, stream, new ThreadClient.Posted(question.field("messageId"), null), word);
    }

    static Frame assertAnsweredOnce(ThreadClient thread, SseClient stream, ThreadClient.Posted posted, String word) {
        Frame reply = stream.awaitAny(f -> f.event().equals("message.stored") && f.field("role").equals("ASSISTANT")
                && f.field("text").contains(word), RECOVERY);
        List<Frame> seen = stream.drain();
        Set<String> questionIds = storedIds(seen, "USER", word);
        Set<String> answerIds = storedIds(seen, "ASSISTANT", word);
        assertEquals(Set.of(posted.messageId()), questionIds, "the question reached the stream as one message");
        assertEquals(Set.of(reply.field("messageId")), answerIds, "the answer reached the stream as one message");

        List<JsonNode> history = thread.history(50);
        assertEquals(1, ConversationE2ETest.count(history, "USER", word), "the question is stored once");
        assertEquals(1, ConversationE2ETest.count(history, "ASSISTANT", word), "the answer is stored once");
        assertEquals(0, history.stream().filter(m -> m.path("role").asText().equals("SYSTEM")
                && m.path("turnId").asText().equals(reply.field("turnId"))).count(), "no failure was shown");
        return reply;
    }

    private static Set<String> storedIds(List<Frame> frames, String role, String word) {
        return frames.stream().filter(f -> f.event().equals("message.stored") && f.field("role").equals(role)
                && f.field("text").contains(word)).map(f -> f.field("messageId")).collect(Collectors.toSet());
    }

    private static String word() {
        return "word-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
