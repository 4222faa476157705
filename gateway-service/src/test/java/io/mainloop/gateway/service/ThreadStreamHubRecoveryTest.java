package io.mainloop.gateway.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.gateway.Poll;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SSE fan-out's Kafka reader failing is never a silent dead stream: readiness goes DOWN, the
 * reader restarts, readiness comes back UP and an open stream gets what was published meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class ThreadStreamHubRecoveryTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/api/thread/stream")
    URL stream;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mainloop.gateway.owner-token")
    String token;

    @Inject
    ThreadStreamHub hub;

    @AfterEach
    void heal() {
        hub.injectFault(false);
    }

    @Test
    void aFailedReaderIsRestartedAndReadinessSaysSoMeanwhile() throws Exception {
        UUID turn = UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap);
             SseClient client = new SseClient(stream.toString(), token, null)) {
            client.until(f -> "stream.ready".equals(f.event()), WAIT);
            Poll.until("ready", () -> readiness().equals("UP"), WAIT);

            hub.injectFault(true);
            Poll.until("readiness DOWN", () -> readiness().equals("DOWN"), WAIT);
            assertEquals("DOWN", streamCheck());
            publish(kafka, delta(turn, 0, "while-down"));

            hub.injectFault(false);
            Poll.until("readiness UP again", () -> readiness().equals("UP"), WAIT);
            publish(kafka, delta(turn, 1, "after-restart"));

            List<SseClient.Frame> frames = client.until(f -> f.data().contains("after-restart"), WAIT);
            assertEquals(List.of("while-down", "after-restart"), frames.stream()
                    .filter(f -> "text.delta".equals(f.event())).map(f -> f.field("text")).toList(),
                    "nothing published while the reader was down is lost, nothing doubled");
        }
    }

    private static String readiness() {
        return given().get("/q/health/ready").then().extract().path("status");
    }

    private static String streamCheck() {
        JsonPath body = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        return body.getString("checks.find { it.name == '" + ThreadStreamHealthCheck.NAME + "' }.status");
    }

    private static AgentEvent.TextDelta delta(UUID turn, int seq, String text) {
        return new AgentEvent.TextDelta(UUID.randomUUID(), Instant.now(), 1, "main", turn, seq, text, 0);
    }

    private static void publish(TopicProbe kafka, AgentEvent.TextDelta event) throws Exception {
        kafka.send(Topics.AGENT_EVENTS, event.threadId(), EventJson.mapper().writeValueAsString(event));
    }
}
