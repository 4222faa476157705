package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing accepted is lost, nothing is stored or shown twice: memory-service and agent-service
 * are stopped (SIGTERM) or killed (SIGKILL) after a message was accepted and before its reply,
 * then started again; the reply arrives, and the question and the answer are each in the
 * history once and reach the stream as one message each.
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
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[slow:150]] the agent stops during this turn [[reply:" + word
                    + " and a few more words to stream slowly]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            stream.await(f -> f.event().equals("text.delta"), RECOVERY);
            stack.stopService("agent-service");
            stack.startService("agent-service");
            Frame reply = assertAnsweredOnce(thread, stream, posted, word);
            assertEquals(2, stream.seen().stream().filter(f -> f.event().equals("turn.started")
                    && f.field("turnId").equals(reply.field("turnId"))).count(), "the interrupted turn ran again");
        }
    }

    @Test
    void agentServiceKilledWhileTheTurnRuns(LocalStack stack, ThreadClient thread) {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[slow:150]] the agent dies during this turn [[reply:" + word
                    + " and a few more words to stream slowly]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            stream.await(f -> f.event().equals("text.delta"), RECOVERY);
            stack.killService("agent-service");
            stack.startService("agent-service");
            Frame reply = assertAnsweredOnce(thread, stream, posted, word);
            assertEquals(2, stream.seen().stream().filter(f -> f.event().equals("turn.started")
                    && f.field("turnId").equals(reply.field("turnId"))).count(), "the interrupted turn ran again");
        }
    }

    /**
     * The reply arrives on the stream; history and stream hold the question and the answer once each.
     *
     * @return the answer's {@code message.stored} event
     */
    private static Frame assertAnsweredOnce(ThreadClient thread, SseClient stream, ThreadClient.Posted posted,
                                           String word) {
        Frame reply = stream.await(f -> f.event().equals("message.stored") && f.field("role").equals("ASSISTANT")
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
