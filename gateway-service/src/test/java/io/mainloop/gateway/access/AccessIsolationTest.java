package io.mainloop.gateway.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.gateway.FakeAgentService;
import io.mainloop.gateway.FakeMemoryService;
import io.mainloop.gateway.FakeSchedulerService;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Each Cloudflare Access identity has its own thread: what identity A posts is in A's history and
 * on A's stream, never in B's; every call to memory-, agent- and scheduler-service names the
 * caller's thread; push subscriptions belong to their thread. The owner's identity keeps the
 * owner's thread.
 */
@QuarkusTest
@TestProfile(AccessProfile.class)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = FakeMemoryService.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeAgentService.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeSchedulerService.class, restrictToAnnotatedClass = true)
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
    void whatAdaPostsIsInAdasHistoryAndStreamAndNeverInBobs() throws Exception {
        assertNotEquals(ADA_THREAD, BOB_THREAD);
        // memory-service, played by the test: what it stored, per thread, answered per thread path
        Map<String, List<JsonNode>> stored = new ConcurrentHashMap<>();
        Pattern messagesOf = Pattern.compile("/api/threads/([^/]+)/messages");
        FakeMemoryService.answerBy(request -> {
            Matcher m = messagesOf.matcher(request.path());
            ObjectNode page = JSON.createObjectNode();
            ArrayNode messages = page.putArray("messages");
            if (m.matches()) {
                stored.getOrDefault(m.group(1), List.of()).forEach(messages::add);
            }
            page.putNull("nextBefore");
            return page.toString();
        });
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

            // memory-service stores it and publishes message.stored, keyed by the thread
            ConversationEvent.MessageStored message = stored(ADA_THREAD, Role.USER, secret);
            stored.computeIfAbsent(ADA_THREAD, t -> new CopyOnWriteArrayList<>()).add(JSON.valueToTree(message));
            kafka.send(Topics.CONVERSATION_EVENTS, ADA_THREAD, JSON.writeValueAsString(message));
            adas.until(f -> "message.stored".equals(f.event()) && f.data().contains(secret), WAIT);

            // Ada's event was handed out before Bob's own marker is even published: had Bob's stream
            // got it, it would come before the marker
            String marker = "Bob's own " + UUID.randomUUID();
            kafka.send(Topics.CONVERSATION_EVENTS, BOB_THREAD, JSON.writeValueAsString(stored(BOB_THREAD, Role.USER, marker)));
            List<AccessSse.Frame> onBobs = bobs.until(f -> f.data().contains(marker), WAIT);
            assertTrue(onBobs.stream().noneMatch(f -> f.data().contains(secret) || f.data().contains(ADA_THREAD)),
                    "Bob's stream never carries Ada's thread: " + onBobs);

            String adasHistory = given().header(AccessVerifier.HEADER, AccessTokens.valid(ADA))
                    .get("/api/thread/messages").then().statusCode(200).extract().asString();
            assertTrue(adasHistory.contains(secret), adasHistory);
            assertEquals("/api/threads/" + ADA_THREAD + "/messages", FakeMemoryService.last().path());
            String bobsHistory = given().header(AccessVerifier.HEADER, AccessTokens.valid(BOB))
                    .get("/api/thread/messages").then().statusCode(200).extract().asString();
            assertFalse(bobsHistory.contains(secret), bobsHistory);
            assertEquals("/api/threads/" + BOB_THREAD + "/messages", FakeMemoryService.last().path());
        } finally {
            FakeMemoryService.answer(200, "application/json", "{}");
        }
    }

    @Test
    void everyCallBehindTheGatewayNamesTheCallersThread() throws Exception {
        String bob = AccessTokens.valid(BOB);
        FakeMemoryService.answer(200, "application/json", "{}");
        for (String[] call : new String[][] {{"/api/memories", "/memories"}, {"/api/summaries", "/summaries"},
            {"/api/history?from=2026-11-28&to=2026-11-29", "/history"}, {"/api/core-blocks/owner", "/core-blocks/owner"},
            {"/api/heartbeat", "/heartbeat"}, {"/api/heartbeat/runs", "/heartbeat/runs"},
            {"/api/thread/turns/" + UUID.randomUUID() + "/context", "/turns/"}}) {
            given().header(AccessVerifier.HEADER, bob).get(call[0]).then().statusCode(200);
            assertTrue(FakeMemoryService.last().path().startsWith("/api/threads/" + BOB_THREAD + call[1]),
                    call[0] + " -> " + FakeMemoryService.last().path());
        }
        given().header(AccessVerifier.HEADER, bob).contentType(ContentType.JSON).body("{\"kind\":\"FACT\",\"text\":\"x\"}")
                .post("/api/memories").then().statusCode(200);
        assertEquals("/api/threads/" + BOB_THREAD + "/memories", FakeMemoryService.last().path());

        FakeAgentService.answer(200, "application/json", "{\"tasks\":[]}");
        given().header(AccessVerifier.HEADER, bob).get("/api/tasks").then().statusCode(200);
        assertEquals("/api/threads/" + BOB_THREAD + "/tasks", FakeAgentService.last().path());
        given().header(AccessVerifier.HEADER, bob).get("/api/inbox").then().statusCode(200);
        assertEquals("/api/threads/" + BOB_THREAD + "/inbox", FakeAgentService.last().path());

        FakeSchedulerService.answer(200, "application/json", "{\"schedules\":[]}");
        given().header(AccessVerifier.HEADER, bob).get("/api/schedules").then().statusCode(200);
        assertEquals("threadId=" + BOB_THREAD, FakeSchedulerService.last().query());
        FakeSchedulerService.answer(201, "application/json", "{}");
        given().header(AccessVerifier.HEADER, bob).contentType(ContentType.JSON)
                .body("{\"prompt\":\"Water the plants\",\"cron\":\"0 8 * * *\",\"threadId\":\"main\"}")
                .post("/api/schedules").then().statusCode(201);
        assertEquals(BOB_THREAD, JSON.readTree(FakeSchedulerService.last().body()).path("threadId").asText(),
                "Bob cannot schedule into the owner's thread");

        UUID turn = UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            given().header(AccessVerifier.HEADER, bob).post("/api/thread/turns/{id}/cancel", turn).then().statusCode(202);
            JsonNode command = JSON.readTree(kafka.await(Topics.AGENT_COMMANDS, v -> v.contains(turn.toString()), 1, WAIT)
                    .getFirst());
            assertEquals(BOB_THREAD, command.path("threadId").asText());
        }

        // the owner's identity, through Access or with the owner token: the owner's thread
        given().header(AccessVerifier.HEADER, AccessTokens.valid(AccessProfile.OWNER)).get("/api/memories").then()
                .statusCode(200);
        assertEquals("/api/threads/main/memories", FakeMemoryService.last().path());
        given().auth().oauth2(AccessTokenTest.OWNER_TOKEN).get("/api/memories").then().statusCode(200);
        assertEquals("/api/threads/main/memories", FakeMemoryService.last().path());
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
