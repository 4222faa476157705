package io.mainloop.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The system's own overhead per turn, with the stand-in API answering at once and the real CLI:
 * (a) POST accepted (the gateway's {@code MessageAccepted.occurredAt}) -> CLI process started
 * ({@code turn.started.occurredAt}); (b) the CLI's final line read ({@code turn.completed.occurredAt})
 * -> {@code turn.completed} delivered to an SSE client, and -> the stored reply delivered. The
 * CLI's own time is reported apart. All processes share one clock (one machine). Each turn is
 * posted once the previous CLI has exited and the one started ahead of the next turn is idle.
 * {@link WarmTurnsBench} compares warm and cold turns with a bare pre-started CLI.
 * Run: {@code ./mvnw -Pbench verify} ({@code -Dbench.turns=N}, default 200, plus 20 warm-up turns).
 * Prints numbers; asserts nothing about speed.
 */
@Tag("bench")
@ExtendWith(RunningStack.class)
class TurnOverheadBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TURN = Duration.ofSeconds(60);

    private record Sample(String messageId, Instant stored, String turnId, Instant started, Instant cliFinalLine, Instant completedDelivered,
                          Instant replyDelivered, long cliReportedMs) {
    }

    @Test
    void overheadPerTurn(LocalStack stack, ThreadClient thread) {
        int turns = Integer.getInteger("bench.turns", 200);
        int warmup = 20;
        List<Sample> samples = new ArrayList<>();
        try (SseClient stream = thread.stream(null)) {
            for (int i = 0; i < warmup + turns; i++) {
                CliProcesses.awaitSettled(agentPid(stack), i == 0 ? 0 : 1, 1, Duration.ofSeconds(60));
                ThreadClient.Posted posted = thread.post("bench turn " + i + " [[reply:ok " + i + "]]");
                Frame stored = stream.await("message.stored", "messageId", posted.messageId(), TURN);
                Frame started = stream.await(f -> f.event().equals("turn.started"), TURN);
                String turnId = started.field("turnId");
                Frame completed = stream.await(f -> f.event().startsWith("turn.") && !f.event().equals("turn.started")
                        && f.field("turnId").equals(turnId), TURN);
                if (!completed.event().equals("turn.completed")) {
                    throw new AssertionError("turn " + i + " failed: " + completed.data());
                }
                Frame reply = stream.await("message.stored", "turnId", turnId, TURN);
                if (i >= warmup) {
                    samples.add(new Sample(posted.messageId(), Instant.parse(stored.field("createdAt")), turnId,
                            Instant.parse(started.field("occurredAt")),
                            Instant.parse(completed.field("occurredAt")), completed.receivedAt(), reply.receivedAt(),
                            completed.json().path("durationMs").asLong()));
                }
            }
        }
        Map<String, Instant> acceptedAt = occurredAt(stack.bootstrapServers(), Topics.CONVERSATION_INBOUND, "messageId");
        Map<String, Instant> requestedAt = occurredAt(stack.bootstrapServers(), Topics.AGENT_TURNS, "turnId");

        List<Double> a = new ArrayList<>();
        List<Double> aStored = new ArrayList<>();
        List<Double> aRequested = new ArrayList<>();
        List<Double> aStarted = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> bStored = new ArrayList<>();
        List<Double> cliWall = new ArrayList<>();
        List<Double> cliReported = new ArrayList<>();
        for (Sample s : samples) {
            Instant accepted = acceptedAt.get(s.messageId());
            if (accepted == null) {
                throw new AssertionError("no MessageAccepted for " + s.messageId());
            }
            a.add(ms(accepted, s.started()));
            aStored.add(ms(accepted, s.stored()));
            aRequested.add(ms(s.stored(), requestedAt.get(s.turnId())));
            aStarted.add(ms(requestedAt.get(s.turnId()), s.started()));
            b.add(ms(s.cliFinalLine(), s.completedDelivered()));
            bStored.add(ms(s.cliFinalLine(), s.replyDelivered()));
            cliWall.add(ms(s.started(), s.cliFinalLine()));
            cliReported.add((double) s.cliReportedMs());
        }
        System.out.printf("%nmainloop turn overhead, %d turns (after %d warm-up), %d cores, JDK %s%n", samples.size(),
                warmup, Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf("%-58s %8s %8s %8s %8s%n", "", "p50 ms", "p95 ms", "p99 ms", "max ms");
        print("(a) POST accepted -> CLI process started", a);
        print("    of which: accepted -> stored by memory", aStored);
        print("    of which: stored -> turn requested by memory", aRequested);
        print("    of which: turn requested -> CLI process started", aStarted);
        print("(b) CLI final line -> turn.completed on SSE", b);
        print("(b') CLI final line -> stored reply on SSE", bStored);
        print("CLI: process start -> final line (wall)", cliWall);
        print("CLI: its own reported duration_ms", cliReported);
        System.out.println();
    }

    /** agent-service's pid (its CLIs descend from it). */
    static long agentPid(LocalStack stack) {
        return stack.services().stream().filter(p -> p.name().equals("agent-service")).findFirst().orElseThrow().pid();
    }

    /** {@code occurredAt} of every event on {@code topic}, by its {@code idField} (first occurrence). */
    private static Map<String, Instant> occurredAt(String bootstrap, String topic, String idField) {
        Map<String, Instant> times = new HashMap<>();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            for (String value : kafka.readAll(topic, v -> true)) {
                JsonNode event = JSON.readTree(value);
                times.putIfAbsent(event.path(idField).asText(), Instant.parse(event.path("occurredAt").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return times;
    }

    private static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static void print(String label, List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        System.out.printf("%-58s %8.1f %8.1f %8.1f %8.1f%n", label, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted.getLast());
    }

    /** Nearest-rank percentile of sorted values. */
    private static double pct(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
