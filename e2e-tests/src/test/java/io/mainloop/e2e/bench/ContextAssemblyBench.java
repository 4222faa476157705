package io.mainloop.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.e2e.support.HistorySeed;
import io.mainloop.e2e.support.RunningStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Context assembly for a thread with a year of history: at least 1,000,000 messages (about 2,740 a
 * day) with their daily, weekly and monthly summaries and 300 memories, seeded in PostgreSQL; then
 * turns through the real path (Kafka, memory-service, the real CLI against the stand-in), each
 * recording how long memory-service took to assemble its context ({@code assembly_ms}) and what
 * it holds. Prints p50/p95 of assembly time, the assembled size against the 30,000-token budget,
 * the tokens per layer, and mainloop's token estimate next to the CLI's reported input tokens.
 * Run: {@code ./mvnw -Pbench verify} ({@code -Dbench.contextTurns=N}, default 60, and
 * {@code -Dbench.messages=N}, default 1,000,000). Prints numbers; asserts nothing about speed.
 */
@Tag("bench")
@ExtendWith(RunningStack.class)
class ContextAssemblyBench {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration TURN = Duration.ofSeconds(60);

    @Test
    void assemblyForAYearOfHistory(LocalStack stack) throws Exception {
        int turns = Integer.getInteger("bench.contextTurns", 60);
        int count = Integer.getInteger("bench.messages", 1_000_000);
        String thread = "bench-year-" + UUID.randomUUID();
        String empty = "bench-empty-" + UUID.randomUUID();
        long seedStart = System.nanoTime();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.jdbcPassword())) {
            HistorySeed.year(db, thread, count);
        }
        System.out.printf("seeded %,d messages, their summaries and 300 memories in %.1f s%n", count,
                (System.nanoTime() - seedStart) / 1e9);

        try (TopicProbe kafka = new TopicProbe(stack.bootstrapServers())) {
            long baseline = turn(kafka, stack, empty, "Hello [[reply:hi]]").path("reportedInputTokens").asLong();
            List<Double> assembly = new ArrayList<>();
            List<Integer> estimated = new ArrayList<>();
            List<Long> reported = new ArrayList<>();
            JsonNode last = null;
            for (int i = 0; i < turns; i++) {
                last = turn(kafka, stack, thread, "Bench question " + i + " [[reply:ok " + i + "]]");
                assembly.add(last.path("assemblyMs").asDouble());
                estimated.add(last.path("estimatedTokens").asInt());
                reported.add(last.path("reportedInputTokens").asLong());
            }
            List<Double> warm = assembly.subList(Math.min(5, assembly.size() - 1), assembly.size());
            System.out.println();
            System.out.println("Context assembly, one year of history (" + String.format("%,d", count)
                    + " messages), " + warm.size() + " turns after 5 warm-up turns:");
            System.out.println("| | p50 | p95 | max |");
            System.out.println("|---|---|---|---|");
            System.out.printf("| assembly time, ms | %.1f | %.1f | %.1f |%n", pct(warm, 50), pct(warm, 95), pct(warm, 100));
            List<Double> size = estimated.stream().map(Integer::doubleValue).toList();
            System.out.printf("| assembled size, tokens (budget %d) | %.0f | %.0f | %.0f |%n",
                    last.path("budgetTokens").asInt(), pct(size, 50), pct(size, 95), pct(size, 100));
            System.out.println();
            System.out.println("Layers of the last turn (tokens): ");
            for (JsonNode layer : last.path("layers")) {
                System.out.printf("  %-13s %6d  (%d items)%n", layer.path("name").asText(), layer.path("tokens").asInt(),
                        layer.path("items").size());
            }
            System.out.printf("  dropped: %d items%n", last.path("dropped").size());
            double meanEstimate = estimated.stream().mapToInt(Integer::intValue).average().orElse(0);
            double meanReported = reported.stream().mapToLong(Long::longValue).average().orElse(0);
            System.out.println();
            System.out.printf("Token estimate vs the CLI's reported input tokens (mean over %d turns):%n", turns);
            System.out.printf("  estimated (mainloop's context) %.0f; reported %.0f; reported for an empty thread "
                    + "(Claude Code's own prompt and tools) %d%n", meanEstimate, meanReported, baseline);
            System.out.printf("  estimate error: (reported - empty-thread baseline - estimate) / estimate = %+.1f%%%n",
                    100 * (meanReported - baseline - meanEstimate) / meanEstimate);
            System.out.println("  (against the stand-in API the 'reported' count is its own 4-characters-a-token count "
                    + "of the request; run with a real key for the real tokenizer)");
        }
    }

    /** Sends one message to {@code thread} through Kafka and returns its turn's recorded context once answered. */
    private static JsonNode turn(TopicProbe kafka, LocalStack stack, String thread, String text) throws Exception {
        MessageAccepted message = MessageAccepted.of(thread, UUID.randomUUID(), "c-" + UUID.randomUUID(), text);
        kafka.send(Topics.CONVERSATION_INBOUND, thread, JSON.writeValueAsString(message));
        String turn = kafka.await(Topics.AGENT_TURNS, v -> v.contains(message.messageId().toString()), 1, TURN).getFirst();
        String turnId = JSON.readTree(turn).path("turnId").asText();
        kafka.await(Topics.CONVERSATION_EVENTS, v -> v.contains(turnId) && v.contains("\"role\":\"ASSISTANT\""), 1, TURN);
        HttpResponse<String> response = HttpClient.newHttpClient().send(io.mainloop.e2e.support.ServiceApi.request(stack, "memory-service",
                "/api/threads/" + thread + "/turns/" + turnId + "/context").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("context of turn " + turnId + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
