package io.mainloop.memory.pyramid;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.SummaryRequested;
import io.mainloop.contracts.SummaryResult;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.Usage;
import io.mainloop.devstack.testing.TopicProbe;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Answers memory-service's summary requests on Kafka the way the stand-in API does through the
 * real CLI (docs/memory.md): the first sentence of each material entry, then every tagged line
 * once. For memory-service's own tests, where agent-service does not run; the end-to-end tests
 * use the real agent and CLI.
 */
final class FakeSummarizer implements AutoCloseable {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Pattern TAG = Pattern.compile("^\\s*\\[(decision|insight|handoff|fact|preference)]",
            Pattern.CASE_INSENSITIVE);

    private final KafkaConsumer<String, String> consumer;
    private final TopicProbe kafka;
    private final String thread;
    /** Summary ids whose first request is answered with a failure. */
    final Set<UUID> failFirst = new java.util.HashSet<>();
    final List<SummaryRequested> requests = new ArrayList<>();

    FakeSummarizer(String bootstrap, String thread) {
        this.thread = thread;
        this.kafka = new TopicProbe(bootstrap);
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fake-summarizer-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.AGENT_SUMMARIES));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
    }

    /**
     * Answers requests as they arrive until {@code pending} says nothing is left to answer.
     *
     * @return how many were answered
     * @throws AssertionError if requests are still pending after {@code timeout}
     */
    int answerWhile(java.util.function.BooleanSupplier pending, Duration timeout) throws Exception {
        int answered = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(50));
            for (ConsumerRecord<String, String> record : records) {
                SummaryRequested request = JSON.readValue(record.value(), SummaryRequested.class);
                if (thread.equals(request.threadId())) {
                    requests.add(request);
                    answer(request);
                    answered++;
                }
            }
            if (records.isEmpty() && !pending.getAsBoolean()) {
                return answered;
            }
        }
        throw new AssertionError("summaries still pending after " + timeout.toSeconds() + " s");
    }

    private void answer(SummaryRequested request) throws Exception {
        SummaryResult result;
        if (request.attempt() == 1 && failFirst.contains(request.summaryId())) {
            result = new SummaryResult.SummaryFailed(SummaryResult.eventId(request.summaryId(), request.attempt()),
                    Instant.now(), 1, thread, request.summaryId(), request.attempt(), "API_ERROR", "overloaded");
        } else {
            result = new SummaryResult.SummaryCompleted(SummaryResult.eventId(request.summaryId(), request.attempt()),
                    Instant.now(), 1, thread, request.summaryId(), request.attempt(), summarize(request.material()),
                    "claude-haiku-fake", new Usage(request.material().length() / 4, 50, 0, 0), new BigDecimal("0.0001"),
                    5);
        }
        kafka.send(Topics.AGENT_SUMMARY_RESULTS, thread, JSON.writeValueAsString(result));
    }

    static String summarize(String material) {
        List<String> bullets = new ArrayList<>();
        Set<String> tagged = new LinkedHashSet<>();
        for (String entry : material.split("(?m)^--- ")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] lines = entry.split("\n");
            StringBuilder body = new StringBuilder();
            for (int i = 1; i < lines.length; i++) {
                if (TAG.matcher(lines[i]).find()) {
                    tagged.add(lines[i].strip());
                } else {
                    body.append(lines[i]).append(' ');
                }
            }
            String text = body.toString().strip();
            int dot = text.indexOf(". ");
            if (!text.isEmpty()) {
                bullets.add("- " + (dot > 0 ? text.substring(0, dot + 1) : text));
            }
        }
        return "Summary of " + bullets.size() + " entries.\n" + String.join("\n", bullets) + "\n" + String.join("\n", tagged);
    }

    @Override
    public void close() {
        consumer.close();
        kafka.close();
    }
}
