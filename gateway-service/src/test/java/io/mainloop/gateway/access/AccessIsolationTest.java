package io.mainloop.gateway.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.access.AccessTokens;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.gateway.TestBrowser;
import io.mainloop.gateway.push.PushSender;
import io.mainloop.gateway.push.PushSubscriptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Each Cloudflare Access identity has its own thread, as far as the gateway alone decides it: what
 * identity A posts goes into A's thread and only A's stream carries it, never B's; a cancel names
 * the caller's thread; push subscriptions belong to their thread. Each identity's history,
 * memories, schedules and tasks in the real services: AccessE2ETest (e2e-tests).
 */
@QuarkusTest
@TestProfile(AccessProfile.class)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class AccessIsolationTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = EventJson.mapper();
    static final String ADA = "ada@example.com";
    static final String BOB = "bob@example.com";
    static final String ADA_THREAD = AccessThreads.threadOf(ADA, Optional.of(AccessProfile.OWNER), "main");
    static final String BOB_THREAD = AccessThreads.threadOf(BOB, Optional.of(AccessProfile.OWNER), "main");

    @TestHTTPResource("/api/thread/stream")
    URL stream;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    PushSubscriptions subscriptions;

    @Test
    void whatAdaPostsGoesToAdasThreadAndOnlyAdasStreamCarriesIt() throws Exception {
        assertNotEquals(ADA_THREAD, BOB_THREAD);
        String clientId = UUID.randomUUID().toString();
        String secret = "Ada's secret plan " + clientId;
        try (TopicProbe kafka = new TopicProbe(bootstrap);
             AccessSse adas = new AccessSse(stream.toString(), AccessTokens.valid(ADA));
             AccessSse bobs = new AccessSse(stream.toString(), AccessTokens.valid(BOB))) {
            adas.until(f -> "stream.ready".equals(f.event()), WAIT);
            bobs.until(f -> "stream.ready".equals(f.event()), WAIT);

            given().header(AccessVerifier.HEADER, AccessTokens.valid(ADA)).contentType(ContentType.JSON)
                    .body("{\"text\":\"" + secret + "\",\"clientMessageId\":\"" + clientId + "\"}")
                    .post("/api/thread/messages").then().statusCode(202);
            JsonNode accepted = JSON.readTree(kafka.await(Topics.CONVERSATION_INBOUND, v -> v.contains(clientId), 1, WAIT)
                    .getFirst());
            assertEquals(ADA_THREAD, accepted.path("threadId").asText(), "posted into Ada's own thread");

            // what memory-service publishes of Ada's thread (keyed by the thread) reaches Ada's stream
            kafka.send(Topics.CONVERSATION_EVENTS, ADA_THREAD, JSON.writeValueAsString(stored(ADA_THREAD, Role.USER, secret)));
            adas.until(f -> "message.stored".equals(f.event()) && f.data().contains(secret), WAIT);

            // Ada's event was handed out before Bob's own marker is even published: had Bob's stream
            // got it, it would come before the marker
            String marker = "Bob's own " + UUID.randomUUID();
            kafka.send(Topics.CONVERSATION_EVENTS, BOB_THREAD, JSON.writeValueAsString(stored(BOB_THREAD, Role.USER, marker)));
            List<AccessSse.Frame> onBobs = bobs.until(f -> f.data().contains(marker), WAIT);
            assertTrue(onBobs.stream().noneMatch(f -> f.data().contains(secret) || f.data().contains(ADA_THREAD)),
                    "Bob's stream never carries Ada's thread: " + onBobs);
        }
        // the history, memories, schedules and tasks of each identity's thread: AccessE2ETest (e2e-tests)
    }

    @Test
    void aCancelNamesTheCallersThread() throws Exception {
        UUID turn = UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            given().header(AccessVerifier.HEADER, AccessTokens.valid(BOB)).post("/api/thread/turns/{id}/cancel", turn)
                    .then().statusCode(202);
            JsonNode command = JSON.readTree(kafka.await(Topics.AGENT_COMMANDS, v -> v.contains(turn.toString()), 1, WAIT)
                    .getFirst());
            assertEquals(BOB_THREAD, command.path("threadId").asText());
        }
    }

    @Test
    void aDeviceGetsThePushesOfTheThreadThatSubscribedIt() throws Exception {
        String adasPhone = "https://push.example.net/send/ada-phone-" + UUID.randomUUID();
        String bobsPhone = "https://push.example.net/send/bob-phone-" + UUID.randomUUID();
        try {
            given().header(AccessVerifier.HEADER, AccessTokens.valid(ADA)).contentType(ContentType.JSON)
                    .body(new TestBrowser().subscription(adasPhone)).post("/api/push/subscriptions").then().statusCode(201);
            given().header(AccessVerifier.HEADER, AccessTokens.valid(BOB)).contentType(ContentType.JSON)
                    .body(new TestBrowser().subscription(bobsPhone)).post("/api/push/subscriptions").then().statusCode(201);

            List<PushSender.Target> forAda = subscriptions.claim(UUID.randomUUID(), ADA_THREAD, Instant.now(),
                    Instant.now().minus(Duration.ofDays(2)));
            assertEquals(List.of(adasPhone), forAda.stream().map(PushSender.Target::endpoint).toList(),
                    "an event of Ada's thread goes to Ada's devices only");

            // Bob cannot unsubscribe Ada's device
            given().header(AccessVerifier.HEADER, AccessTokens.valid(BOB)).queryParam("endpoint", adasPhone)
                    .delete("/api/push/subscriptions").then().statusCode(204);
            assertEquals(1, subscriptions.list(ADA_THREAD).size());
            given().header(AccessVerifier.HEADER, AccessTokens.valid(ADA)).queryParam("endpoint", adasPhone)
                    .delete("/api/push/subscriptions").then().statusCode(204);
            assertEquals(0, subscriptions.list(ADA_THREAD).size());
            assertEquals(1, subscriptions.list(BOB_THREAD).size());
        } finally {
            subscriptions.unsubscribe(adasPhone);
            subscriptions.unsubscribe(bobsPhone);
        }
    }

    @Test
    void theStreamNeedsAValidToken() throws Exception {
        try (AccessSse stranger = new AccessSse(stream.toString(), AccessTokens.valid("eve@example.com"))) {
            assertEquals(403, stranger.status());
        }
        given().header(AccessVerifier.HEADER, "garbage").get("/api/thread/stream").then().statusCode(401)
                .body("status", is(401));
    }

    private static ConversationEvent.MessageStored stored(String thread, Role role, String text) {
        return new ConversationEvent.MessageStored(UUID.randomUUID(), Instant.now(), 2, thread, UUID.randomUUID(), role,
                text, Instant.now(), null, null, null, null, List.of(), List.of(), null, false);
    }
}
