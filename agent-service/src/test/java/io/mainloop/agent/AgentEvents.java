package io.mainloop.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.ContextMessage;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test helper: sends turn requests and reads back one turn's agent events. */
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
            kafka.send(event instanceof TurnRequested ? Topics.AGENT_TURNS : Topics.AGENT_COMMANDS, thread,
                    JSON.writeValueAsString(event));
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
