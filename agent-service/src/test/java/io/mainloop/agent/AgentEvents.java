package io.mainloop.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.ContextMessage;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.SummaryRequested;
import io.mainloop.contracts.SummaryResult;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.TopicProbe;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Test helper: sends turn and summary requests and reads back one turn's agent events or a summary's answer. */
final class AgentEvents {

    static final ObjectMapper JSON = EventJson.mapper();
    static final Duration WAIT = Duration.ofSeconds(60);

    private AgentEvents() {
    }

    static TurnRequested turn(String thread, String prompt) {
        UUID turnId = UUID.randomUUID();
        return new TurnRequested(UUID.randomUUID(), Instant.now(), 1, thread, turnId, List.of(UUID.randomUUID()), prompt,
                "You are mainloop.", List.of(new ContextMessage(UUID.randomUUID(), Role.USER, "earlier", Instant.now())), 10);
    }

    static void send(TopicProbe kafka, Object event, String thread) {
        try {
            String topic = event instanceof TurnRequested ? Topics.AGENT_TURNS
                    : event instanceof SummaryRequested ? Topics.AGENT_SUMMARIES : Topics.AGENT_COMMANDS;
            kafka.send(topic, thread, JSON.writeValueAsString(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request for a daily summary of {@code material}, with the summarizer's marker in its instructions. */
    static SummaryRequested summary(String thread, UUID summaryId, int attempt, String material) {
        return new SummaryRequested(UUID.randomUUID(), Instant.now(), SummaryRequested.SCHEMA_VERSION, thread, summaryId,
                attempt, Granularity.DAILY, LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 3), "haiku",
                new BigDecimal("0.05"), "You write the daily summary. mainloop:summarize", material);
    }

    /** Waits for the answer to {@code attempt} of {@code summaryId} (its event id is derived from both). */
    static SummaryResult answer(TopicProbe kafka, UUID summaryId, int attempt) {
        String id = SummaryResult.eventId(summaryId, attempt).toString();
        String json = kafka.await(Topics.AGENT_SUMMARY_RESULTS, v -> v.contains(id), 1, WAIT).getFirst();
        try {
            return JSON.readValue(json, SummaryResult.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the turn's final event and returns all its events, in order. */
    static List<AgentEvent> untilEnd(TopicProbe kafka, UUID turnId) {
        String id = turnId.toString();
        kafka.await(Topics.AGENT_EVENTS, v -> v.contains(id) && (v.contains("turn.completed") || v.contains("turn.failed")),
                1, WAIT);
        return kafka.readAll(Topics.AGENT_EVENTS, v -> v.contains(id)).stream().map(AgentEvents::parse).toList();
    }

    static AgentEvent parse(String json) {
        try {
            return JSON.readValue(json, AgentEvent.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <T extends AgentEvent> List<T> only(List<AgentEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
