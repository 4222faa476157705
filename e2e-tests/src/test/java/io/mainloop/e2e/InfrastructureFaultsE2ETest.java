package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.Topics;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.e2e.support.ThreadClient;
import io.mainloop.e2e.support.RunningStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The main thread under infrastructure faults, with the real stack: PostgreSQL refusing every
 * connection, PostgreSQL frozen (SIGSTOP) past every timeout on the path, and the Kafka broker
 * restarted mid-turn. Each time the owner's message is stored once and answered once, nothing
 * goes to the dead-letter topic, and a long outage is shown in the thread while it lasts. An import
 * sent while PostgreSQL is frozen is refused with a problem body, and sent again imports each line once.
 */
@ExtendWith(RunningStack.class)
class InfrastructureFaultsE2ETest {

    static final Duration RECOVERY = Duration.ofSeconds(150);

    @Test
    void postgresUnreachableWhileAMessageIsPosted(LocalStack stack, ThreadClient thread) throws Exception {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            stack.stopPostgres();
            try {
                ThreadClient.Posted posted = thread.post("while the database is down [[reply:" + word + "]]");
                assertTrue(posted.messageId() != null, "accepted while the database is down");
                awaitReadiness(stack, "memory-service", 503);
                stream.await(f -> f.event().equals("thread.notice") && f.field("resolved").equals("false"), RECOVERY);
            } finally {
                stack.startPostgres();
            }
            CrashRecoveryE2ETest.assertAnsweredOnce(thread, stream, word);
            stream.awaitAny(f -> f.event().equals("thread.notice") && f.field("resolved").equals("true"), RECOVERY);
            awaitReadiness(stack, "memory-service", 200);
        }
        assertNothingDeadLettered(stack, word);
    }

    @Test
    void postgresFrozenLongerThanEveryTimeout(LocalStack stack, ThreadClient thread) throws Exception {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            stack.signalPostgres(true);
            Instant frozen = Instant.now();
            try {
                thread.post("while the database is frozen [[reply:" + word + "]]");
                stream.await(f -> f.event().equals("thread.notice") && f.field("resolved").equals("false"), RECOVERY);
                assertTrue(Duration.between(frozen, Instant.now()).toSeconds() >= 25, "frozen past the socket timeout");
            } finally {
                stack.signalPostgres(false);
            }
            CrashRecoveryE2ETest.assertAnsweredOnce(thread, stream, word);
        }
        assertNothingDeadLettered(stack, word);
    }

    @Test
    void postgresFrozenDuringAnImport(LocalStack stack, ThreadClient thread) throws Exception {
        String word = word();
        Instant at = Instant.now().minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String ndjson = RecallE2ETest.line("USER", "We repainted the shed " + word + " green.", at, "ext-" + word + "-1")
                + RecallE2ETest.line("ASSISTANT", "Green suits the shed " + word + ".", at.plusSeconds(20), "ext-" + word + "-2");
        ThreadClient.Answer frozen;
        stack.signalPostgres(true);
        try {
            frozen = thread.post("/api/import", "application/x-ndjson", ndjson);
        } finally {
            stack.signalPostgres(false);
        }
        assertEquals(503, frozen.status(), frozen.body().toString());
        assertEquals(503, frozen.body().path("status").asInt(), "an RFC 9457 problem: " + frozen.body());

        // sent again once the database is back: each line is there once, whatever the frozen request left
        ThreadClient.Answer again = thread.post("/api/import", "application/x-ndjson", ndjson);
        for (Instant deadline = Instant.now().plus(RECOVERY); again.status() == 503 && Instant.now().isBefore(deadline); ) {
            Thread.sleep(500); // memory-service reconnecting to PostgreSQL
            again = thread.post("/api/import", "application/x-ndjson", ndjson);
        }
        assertEquals(200, again.status(), again.body().toString());
        assertEquals(2, again.body().path("imported").asInt() + again.body().path("skipped").asInt(), again.body().toString());
        ThreadClient.Download export = thread.download("/api/export?format=jsonl&kind=MESSAGE&from="
                + java.net.URLEncoder.encode(at.minusSeconds(1).toString(), java.nio.charset.StandardCharsets.UTF_8)
                + "&to=" + java.net.URLEncoder.encode(at.plusSeconds(60).toString(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, export.status());
        long lines = new String(export.body(), java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(word)).count();
        assertEquals(2, lines, "each imported line stored once");
    }

    @Test
    void kafkaRestartedWhileTheTurnRuns(LocalStack stack, ThreadClient thread) throws Exception {
        String word = word();
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted posted = thread.post("[[slow:150]] the broker restarts during this turn [[reply:" + word
                    + " and a few more words to stream slowly]]");
            stream.await("message.stored", "messageId", posted.messageId(), RECOVERY);
            stream.await(f -> f.event().equals("text.delta"), RECOVERY);
            stack.restartKafka();
            CrashRecoveryE2ETest.assertAnsweredOnce(thread, stream, posted, word);
        }
        assertNothingDeadLettered(stack, word);
    }

    private static void assertNothingDeadLettered(LocalStack stack, String word) {
        try (TopicProbe kafka = new TopicProbe(stack.bootstrapServers())) {
            assertEquals(0, kafka.readAll(Topics.DEAD_LETTER, v -> v.contains(word)).size(), "nothing was dead-lettered");
        }
    }

    /** Polls a service's {@code /q/health/ready} until it answers {@code status}. */
    private static void awaitReadiness(LocalStack stack, String service, int status) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port(service)
                + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build();
        Instant deadline = Instant.now().plus(RECOVERY);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == status) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = -1;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(service + " readiness stayed " + last + ", expected " + status);
    }

    private static String word() {
        return "word-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
