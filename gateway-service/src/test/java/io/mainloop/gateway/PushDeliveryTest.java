package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.TaskEvent;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnKind;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.gateway.push.PushDispatcher;
import io.mainloop.gateway.push.PushRepository;
import io.mainloop.gateway.push.PushSubscriptions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Web Push end to end through real Kafka and PostgreSQL, to a fake push service on 127.0.0.1 and
 * browsers whose keys the test holds: what is pushed (a proactive assistant message, a task's
 * question, a failed task) arrives once per event and device, encrypted for that device
 * (decrypted here) and signed with the gateway's VAPID key (verified here); what is not (an
 * ordinary answer, the owner's own message, another thread's, a succeeded task) and a redelivered
 * event send nothing; a 410 deletes the subscription; an unreadable record is dead-lettered and
 * the pushes go on.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class PushDeliveryTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    PushDispatcher dispatcher;

    @Inject
    PushSubscriptions subscriptions;

    @Inject
    PushRepository repository;

    FakePushService pushService;
    TopicProbe kafka;

    @BeforeEach
    void setUp() throws Exception {
        pushService = new FakePushService();
        kafka = new TopicProbe(bootstrap);
        subscriptions.list().forEach(s -> subscriptions.unsubscribe(s.endpoint()));
    }

    @AfterEach
    void tearDown() {
        subscriptions.list().forEach(s -> subscriptions.unsubscribe(s.endpoint()));
        kafka.close();
        pushService.close();
    }

    @Test
    void aProactiveMessageIsPushedOnceToEveryDeviceEncryptedForItAndSignedWithTheGatewaysKey() throws Exception {
        awaitConsumersLive();
        TestBrowser phone = subscribe("phone");
        TestBrowser laptop = subscribe("laptop");
        String publicKey = given().auth().oauth2(TOKEN).get("/api/push/key").then().statusCode(200)
                .extract().path("publicKey");

        ConversationEvent.MessageStored beat = message(Role.ASSISTANT, "main", true, TurnKind.HEARTBEAT,
                "## Heads-up\n\nYour **flight** to [Lisbon](https://example.com/f) leaves at `09:40`; check in now.");
        Instant before = Instant.now();
        publish(Topics.CONVERSATION_EVENTS, beat);
        awaitPushes(2);

        for (String device : List.of("phone", "laptop")) {
            List<FakePushService.Push> got = pushService.receivedBy(device);
            assertEquals(1, got.size(), device + " got one push");
            FakePushService.Push push = got.getFirst();
            assertEquals("86400", push.header("TTL"), "24 h to live");
            assertEquals("aes128gcm", push.header("Content-Encoding"));
            assertEquals("normal", push.header("Urgency"));

            JsonNode vapid = TestBrowser.verifyVapid(push.header("Authorization"));
            assertEquals(publicKey, vapid.get("k").asText(), "signed with the key browsers subscribe with");
            JsonNode claims = vapid.get("claims");
            assertEquals(pushService.origin(), claims.get("aud").asText(), "the audience is the push service's origin");
            assertEquals("mailto:owner@localhost", claims.get("sub").asText());
            long exp = claims.get("exp").asLong();
            assertTrue(exp > before.getEpochSecond() && exp <= Instant.now().plus(Duration.ofHours(24)).getEpochSecond(),
                    "expires within 24 h (RFC 8292): " + exp);

            JsonNode shown = (device.equals("phone") ? phone : laptop).decrypt(push.body());
            assertEquals("mainloop", shown.get("title").asText());
            assertEquals("Heads-up Your flight to Lisbon leaves at 09:40; check in now.", shown.get("body").asText(),
                    "the text without markdown");
            assertEquals("/", shown.at("/data/url").asText());
            assertEquals(beat.messageId().toString(), shown.at("/data/messageId").asText());
        }

        // delivered again (Kafka is at-least-once), and things that are not pushed; then one that is
        pushService.clear();
        publish(Topics.CONVERSATION_EVENTS, beat);
        publish(Topics.CONVERSATION_EVENTS, message(Role.ASSISTANT, "main", false, TurnKind.CHAT, "an ordinary answer"));
        publish(Topics.CONVERSATION_EVENTS, message(Role.USER, "main", false, null, "the owner's own message"));
        publish(Topics.CONVERSATION_EVENTS, message(Role.ASSISTANT, "other-thread", true, TurnKind.HEARTBEAT, "not ours"));
        ConversationEvent.MessageStored scheduled = message(Role.ASSISTANT, "main", true, TurnKind.SCHEDULED,
                "Weekly plan: " + "x".repeat(300));
        publish(Topics.CONVERSATION_EVENTS, scheduled);
        awaitPushes(2);
        assertEquals(2, pushService.received().size(), "only the scheduled reply, once per device: "
                + pushService.received());
        JsonNode shown = phone.decrypt(pushService.receivedBy("phone").getFirst().body());
        assertEquals(scheduled.messageId().toString(), shown.at("/data/messageId").asText());
        String body = shown.get("body").asText();
        assertEquals(140, body.codePointCount(0, body.length()), "cut to 140 characters: " + body);
        assertTrue(body.startsWith("Weekly plan: xxx") && body.endsWith("…"), body);

        assertTrue(QuarkusTransaction.requiringNew().call(() -> repository.all().stream()
                .allMatch(s -> s.lastSuccessAt != null && s.failures == 0)), "each delivery is recorded");
    }

    @Test
    void aTasksQuestionAndItsFailureArePushedOnceEachButNotItsSuccess() throws Exception {
        awaitConsumersLive();
        TestBrowser phone = subscribe("phone");
        UUID task = UUID.randomUUID();
        TaskEvent.TaskNeedsInput asks = new TaskEvent.TaskNeedsInput(UUID.randomUUID(), Instant.now(), 1, "main", task,
                "Tidy the repo", "Which branch?");
        TaskEvent.TaskFinished failed = new TaskEvent.TaskFinished(UUID.randomUUID(), Instant.now(), 1, "main", task,
                "Tidy the repo", 1, TaskPhase.Failed, null, "git push was rejected", null, BigDecimal.ONE, 1000);

        publish(Topics.TASK_EVENTS, new TaskEvent.TaskStarted(UUID.randomUUID(), Instant.now(), 1, "main", task,
                "Tidy the repo", 1));
        publish(Topics.TASK_EVENTS, asks);
        publish(Topics.TASK_EVENTS, asks);
        publish(Topics.TASK_EVENTS, new TaskEvent.TaskNeedsInput(UUID.randomUUID(), Instant.now(), 1, "other-thread",
                UUID.randomUUID(), "Not ours", "?"));
        publish(Topics.TASK_EVENTS, new TaskEvent.TaskFinished(UUID.randomUUID(), Instant.now(), 1, "main",
                UUID.randomUUID(), "Went fine", 1, TaskPhase.Succeeded, "done", null, null, BigDecimal.ZERO, 10));
        publish(Topics.TASK_EVENTS, failed);
        publish(Topics.TASK_EVENTS, failed);
        awaitPushes(2);

        List<JsonNode> shown = pushService.received().stream().map(p -> decrypt(phone, p)).toList();
        assertEquals(List.of("Tidy the repo asks: Which branch?", "Tidy the repo failed: git push was rejected"),
                shown.stream().map(n -> n.get("body").asText()).sorted().toList());
        assertTrue(shown.stream().allMatch(n -> n.at("/data/taskId").asText().equals(task.toString())));
    }

    @Test
    void aSubscriptionThePushServiceCallsGoneIsDeletedAndAFailureIsCounted() throws Exception {
        awaitConsumersLive();
        subscribe("old-phone");
        subscribe("flaky-laptop");
        pushService.answer("old-phone", 410);
        pushService.answer("flaky-laptop", 500);

        publish(Topics.CONVERSATION_EVENTS, message(Role.ASSISTANT, "main", true, TurnKind.HEARTBEAT, "Anyone there?"));
        awaitPushes(2);
        List<String> left = subscriptions.list().stream().map(PushSubscriptions.Subscription::endpoint).toList();
        assertEquals(List.of(pushService.endpoint("flaky-laptop")), left, "the gone one is deleted, the failing one kept");
        assertEquals(1, (int) QuarkusTransaction.requiringNew().call(() ->
                repository.byEndpoint(pushService.endpoint("flaky-laptop")).orElseThrow().failures));
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndPushesGoOn() throws Exception {
        awaitConsumersLive();
        TestBrowser phone = subscribe("phone");
        String marker = "not-json-" + UUID.randomUUID();
        kafka.send(Topics.CONVERSATION_EVENTS, "main", marker);
        ConversationEvent.MessageStored after = message(Role.ASSISTANT, "main", true, TurnKind.HEARTBEAT, "still here");
        publish(Topics.CONVERSATION_EVENTS, after);

        kafka.await(Topics.DEAD_LETTER, v -> v.contains(marker), 1, WAIT);
        awaitPushes(1);
        assertEquals(after.messageId().toString(),
                decrypt(phone, pushService.received().getFirst()).at("/data/messageId").asText());
    }

    /** Subscribes a new browser as {@code name} at the fake push service, through the API. */
    private TestBrowser subscribe(String name) throws Exception {
        TestBrowser browser = new TestBrowser();
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(browser.subscription(pushService.endpoint(name)))
                .post("/api/push/subscriptions").then().statusCode(201);
        return browser;
    }

    /**
     * Waits until the push consumers read both topics from where they are now (a new consumer
     * group starts at the end only once its partitions are assigned): a probe device subscribes,
     * probes (a proactive message, a failed task) are published until one is pushed, then one more,
     * whose push shows that every earlier probe was handled (a partition is read in order); then the
     * probe device leaves and the probes' pushes are forgotten.
     */
    private void awaitConsumersLive() throws Exception {
        TestBrowser probe = subscribe("probe");
        liveOn(Topics.CONVERSATION_EVENTS, probe, () -> message(Role.ASSISTANT, "main", true, TurnKind.HEARTBEAT, "probe"),
                e -> ((ConversationEvent.MessageStored) e).messageId());
        liveOn(Topics.TASK_EVENTS, probe, () -> new TaskEvent.TaskFinished(UUID.randomUUID(), Instant.now(), 1,
                "main", UUID.randomUUID(), "probe", 1, TaskPhase.Failed, null, "probe", null, BigDecimal.ZERO, 1),
                e -> ((TaskEvent) e).taskId());
        Poll.until("the probes' pushes are done", () -> dispatcher.sending() == 0, WAIT);
        given().auth().oauth2(TOKEN).queryParam("endpoint", pushService.endpoint("probe")).delete("/api/push/subscriptions")
                .then().statusCode(204);
        pushService.clear();
    }

    private void liveOn(String topic, TestBrowser probe, Supplier<ThreadEvent> probes, Function<ThreadEvent, UUID> idOf)
            throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (pushService.receivedBy("probe").isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no probe on " + topic + " was pushed in " + WAIT);
            }
            publish(topic, probes.get());
            Instant next = Instant.now().plusSeconds(1);
            while (pushService.receivedBy("probe").isEmpty() && Instant.now().isBefore(next)) {
                Thread.sleep(50); // polling interval
            }
        }
        ThreadEvent last = probes.get();
        publish(topic, last);
        String id = idOf.apply(last).toString();
        Poll.until("the last probe on " + topic + " is pushed", () -> pushService.receivedBy("probe").stream()
                .map(p -> decrypt(probe, p).path("data")).anyMatch(d -> id.equals(d.path("messageId").asText())
                        || id.equals(d.path("taskId").asText())), WAIT);
        pushService.clear();
    }

    /** Waits until {@code count} pushes arrived and no push is being sent any more. */
    private void awaitPushes(int count) {
        Poll.until(count + " pushes", () -> pushService.received().size() >= count, WAIT);
        Poll.until("no push in flight", () -> dispatcher.sending() == 0, WAIT);
        assertFalse(pushService.received().size() > count, "more pushes than expected: " + pushService.received());
    }

    private static JsonNode decrypt(TestBrowser browser, FakePushService.Push push) {
        try {
            return browser.decrypt(push.body());
        } catch (Exception e) {
            throw new AssertionError("cannot decrypt a push", e);
        }
    }

    private void publish(String topic, ThreadEvent event) throws Exception {
        kafka.send(topic, event.threadId(), EventJson.mapper().writeValueAsString(event));
    }

    private static ConversationEvent.MessageStored message(Role role, String thread, boolean proactive, TurnKind kind,
                                                           String text) {
        return new ConversationEvent.MessageStored(UUID.randomUUID(), Instant.now(), 2, thread, UUID.randomUUID(), role,
                text, Instant.now(), role == Role.ASSISTANT ? UUID.randomUUID() : null, null, null, null, List.of(),
                List.of(), kind, proactive);
    }
}
