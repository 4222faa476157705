package io.mainloop.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.TaskEvent;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Server-sent events: every client sees the thread live; a reconnect with Last-Event-ID misses nothing. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class ThreadStreamTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/api/thread/stream")
    URL stream;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void twoClientsSeeTheSameThreadLiveAndAReconnectMissesNothing() throws Exception {
        UUID turn = UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap);
             SseClient phone = new SseClient(stream.toString(), ThreadApiTest.TOKEN, null);
             SseClient laptop = new SseClient(stream.toString(), ThreadApiTest.TOKEN, null)) {
            phone.until(f -> "stream.ready".equals(f.event()), WAIT);
            laptop.until(f -> "stream.ready".equals(f.event()), WAIT);

            publish(kafka, Topics.CONVERSATION_EVENTS, stored("hello", Role.USER));
            publish(kafka, Topics.AGENT_EVENTS, delta(turn, 0, "Hel"));
            publish(kafka, Topics.AGENT_EVENTS, delta(turn, 1, "lo"));
            publish(kafka, Topics.AGENT_EVENTS, new AgentEvent.TurnStarted(UUID.randomUUID(), Instant.now(), 1, "other-thread",
                    turn, null, null)); // another thread's event: not streamed

            List<SseClient.Frame> onPhone = phone.until(f -> f.data().contains("\"lo\""), WAIT);
            List<SseClient.Frame> onLaptop = laptop.until(f -> f.data().contains("\"lo\""), WAIT);
            assertEquals(List.of("message.stored", "text.delta", "text.delta"), names(onPhone));
            assertEquals(names(onPhone), names(onLaptop));
            assertEquals(onPhone.stream().map(SseClient.Frame::id).toList(),
                    onLaptop.stream().map(SseClient.Frame::id).toList(), "ids are positions, the same everywhere");

            // the phone loses the network after the first event, and comes back later
            String lastSeen = onPhone.getFirst().id();
            publish(kafka, Topics.AGENT_EVENTS, delta(turn, 2, " there"));
            laptop.until(f -> f.data().contains("there"), WAIT);
            try (SseClient back = new SseClient(stream.toString(), ThreadApiTest.TOKEN, lastSeen)) {
                List<SseClient.Frame> missed = back.until(f -> f.data().contains("there"), WAIT);
                assertEquals(List.of("text.delta", "text.delta", "text.delta"), names(missed));
                publish(kafka, Topics.CONVERSATION_EVENTS, stored("after", Role.ASSISTANT));
                List<SseClient.Frame> live = back.until(f -> f.data().contains("after"), WAIT);
                assertEquals(List.of("message.stored"), names(live), "live again, nothing twice");
            }
        }
    }

    @Test
    void theOwnersTaskEventsAreStreamedOnceByTypeAndAReconnectGetsThem() throws Exception {
        UUID task = UUID.randomUUID();
        TaskEvent.TaskCreated created = new TaskEvent.TaskCreated(UUID.randomUUID(), Instant.now(), 1, "main", task,
                "Tidy the repo", "sonnet", "api");
        TaskEvent.TaskStarted started = new TaskEvent.TaskStarted(UUID.randomUUID(), Instant.now(), 1, "main", task,
                "Tidy the repo", 1);
        TaskEvent.TaskNeedsInput asks = new TaskEvent.TaskNeedsInput(UUID.randomUUID(), Instant.now(), 1, "main", task,
                "Tidy the repo", "Which branch?");
        TaskEvent.TaskFinished finished = new TaskEvent.TaskFinished(UUID.randomUUID(), Instant.now(), 1, "main", task,
                "Tidy the repo", 1, TaskPhase.Succeeded, "tidied", null, null, new BigDecimal("0.0123"), 4200);
        try (TopicProbe kafka = new TopicProbe(bootstrap);
             SseClient laptop = new SseClient(stream.toString(), ThreadApiTest.TOKEN, null)) {
            String ready = laptop.await(f -> "stream.ready".equals(f.event()), WAIT).id();

            publish(kafka, Topics.TASK_EVENTS, created);
            publish(kafka, Topics.TASK_EVENTS, new TaskEvent.TaskCreated(UUID.randomUUID(), Instant.now(), 1,
                    "other-thread", UUID.randomUUID(), "not ours", "sonnet", "api")); // another thread's: not streamed
            publish(kafka, Topics.TASK_EVENTS, started);
            publish(kafka, Topics.TASK_EVENTS, started); // published again (at-least-once): streamed once
            publish(kafka, Topics.TASK_EVENTS, asks);
            publish(kafka, Topics.TASK_EVENTS, finished);

            List<SseClient.Frame> live = laptop.until(f -> "task.finished".equals(f.event()), WAIT);
            assertEquals(List.of("task.created", "task.started", "task.needs-input", "task.finished"), names(live));
            assertEquals(task.toString(), live.getFirst().field("taskId"));
            assertEquals("Which branch?", live.get(2).field("question"));
            assertEquals("tidied", live.getLast().field("result"));
            assertEquals("Succeeded", live.getLast().field("phase"));

            // a phone that saw only the start of the stream gets the task's story on reconnecting
            try (SseClient phone = new SseClient(stream.toString(), ThreadApiTest.TOKEN, ready)) {
                List<SseClient.Frame> missed = phone.until(f -> "task.finished".equals(f.event()), WAIT);
                assertEquals(List.of(created.eventId().toString(), started.eventId().toString(),
                                asks.eventId().toString(), finished.eventId().toString()),
                        missed.stream().map(f -> f.field("eventId")).distinct().toList());
                assertEquals(live.getLast().id(), missed.getLast().id(), "the same position everywhere");
            }
        }
    }

    @Test
    void theStreamNeedsTheOwnerToken() throws Exception {
        try (SseClient stranger = new SseClient(stream.toString(), "wrong", null)) {
            assertEquals(401, stranger.status());
        }
    }

    private static List<String> names(List<SseClient.Frame> frames) {
        return frames.stream().map(SseClient.Frame::event).filter(e -> e != null && !e.equals("stream.ready")).toList();
    }

    private static AgentEvent.TextDelta delta(UUID turn, int seq, String text) {
        return new AgentEvent.TextDelta(UUID.randomUUID(), Instant.now(), 1, "main", turn, seq, text, 0);
    }

    private static ConversationEvent.MessageStored stored(String text, Role role) {
        UUID id = UUID.randomUUID();
        return new ConversationEvent.MessageStored(UUID.randomUUID(), Instant.now(), 1, "main", id, role, text,
                Instant.now(), null, null, null, null, List.of(), List.of());
    }

    private static void publish(TopicProbe kafka, String topic, ThreadEvent event) throws Exception {
        kafka.send(topic, event.threadId(), EventJson.mapper().writeValueAsString(event));
    }
}
