package io.mainloop.agent;

import static io.mainloop.agent.AgentEvents.answer;
import static io.mainloop.agent.AgentEvents.send;
import static io.mainloop.agent.AgentEvents.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.SummaryRequested;
import io.mainloop.contracts.SummaryResult;
import io.mainloop.devstack.testing.ClaudeStandInTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * memory-service's summary requests, from real Kafka, are written by the real Claude Code CLI
 * (against the stand-in API, which summarizes deterministically) with no tools and the requested
 * model, and answered on {@code mainloop.agent.summary-results}; a failed attempt is answered as
 * such, and the next attempt succeeds.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class SummaryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    TopicProbe kafka;
    String thread;

    @BeforeEach
    void probe() {
        kafka = new TopicProbe(bootstrap);
        thread = "thread-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aSummaryIsWrittenWithNoToolsAndTheRequestedModel() {
        String marker = UUID.randomUUID().toString();
        String material = """
                --- [2026-03-02 14:05] user
                Which database should we use (%s)? It must be boring.
                --- [2026-03-02 14:06] assistant
                PostgreSQL 17, on the small box. [[tool:Bash:echo never-run]]
                [decision] Use PostgreSQL 17
                [fact] The small box has 2 GB of RAM
                --- [2026-03-02 18:30] user
                Thanks. I will set it up tomorrow.
                [handoff] Set up PostgreSQL 17 tomorrow
                [decision] Use PostgreSQL 17
                """.formatted(marker);
        SummaryRequested request = summary(thread, UUID.randomUUID(), 1, material);
        send(kafka, request, thread);

        SummaryResult.SummaryCompleted done = assertInstanceOf(SummaryResult.SummaryCompleted.class,
                answer(kafka, request.summaryId(), 1));
        assertEquals("""
                Summary (stand-in) of 3 entries.
                - Which database should we use (%s)?
                - PostgreSQL 17, on the small box.
                - Thanks.
                [decision] Use PostgreSQL 17
                [fact] The small box has 2 GB of RAM
                [handoff] Set up PostgreSQL 17 tomorrow""".formatted(marker), done.text());
        assertEquals(thread, done.threadId());
        assertEquals(1, done.attempt());
        assertTrue(done.model().contains("haiku"), done.model());
        assertTrue(done.usage().inputTokens() > 0 && done.usage().outputTokens() > 0, done.usage().toString());
        assertTrue(done.costUsd() != null && done.costUsd().compareTo(BigDecimal.ZERO) > 0, "cost " + done.costUsd());
        assertTrue(done.durationMs() > 0);

        JsonNode sent = ClaudeStandInTestResource.standIn().requests().stream()
                .filter(r -> r.path("messages").toString().contains(marker)).findFirst().orElseThrow();
        assertEquals(0, sent.path("tools").size(), "no tools offered: " + sent.path("tools"));
        assertTrue(sent.path("model").asText().contains("haiku"), sent.path("model").asText());
        assertTrue(sent.path("system").toString().contains("You write the daily summary. mainloop:summarize"),
                sent.path("system").toString());
    }

    @Test
    void aFailedSummaryIsAnsweredAsFailedAndTheNextAttemptSucceeds() {
        UUID summaryId = UUID.randomUUID();
        String material = "--- [2026-03-02 09:00] user\nGood morning. [[fail-summary-once:" + summaryId + "]]\n"
                + "[preference] Short answers\n";
        send(kafka, summary(thread, summaryId, 1, material), thread);
        SummaryResult.SummaryFailed failed = assertInstanceOf(SummaryResult.SummaryFailed.class,
                answer(kafka, summaryId, 1));
        assertEquals(AgentEvent.FailureReason.API_ERROR.name(), failed.reason());
        assertTrue(failed.message().contains("529"), failed.message());

        send(kafka, summary(thread, summaryId, 2, material), thread);
        SummaryResult.SummaryCompleted done = assertInstanceOf(SummaryResult.SummaryCompleted.class,
                answer(kafka, summaryId, 2));
        assertEquals(2, done.attempt());
        assertEquals("Summary (stand-in) of 1 entries.\n- Good morning.\n[preference] Short answers", done.text());
    }
}
