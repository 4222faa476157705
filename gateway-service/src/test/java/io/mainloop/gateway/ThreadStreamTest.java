package io.mainloop.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
