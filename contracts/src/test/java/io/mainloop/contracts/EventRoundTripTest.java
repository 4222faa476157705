package io.mainloop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventRoundTripTest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Instant AT = Instant.parse("2026-11-21T10:15:30.123456Z");
    private static final String THREAD = "owner-main";
    private static final UUID TURN = UUID.fromString("5b0d3c3e-4a8e-4f1e-9d7a-0c2b9f6a1e01");

    /** One sample of every record, with the type a consumer of its topic reads it as. */
    static Stream<Sample> samples() throws Exception {
        JsonNode toolInput = JSON.readTree("{\"command\":\"echo hello\",\"description\":\"say hello\"}");
        UUID msg = UUID.randomUUID();
        return Stream.of(
                new Sample(MessageAccepted.of(THREAD, msg, "c-1", "Hello, zażółć 👋"), MessageAccepted.class),
                new Sample(new TurnRequested(UUID.randomUUID(), AT, 1, THREAD, TURN, List.of(msg), "Hello",
                        "You are mainloop.", List.of(new ContextMessage(msg, Role.USER, "earlier", AT)), 42),
                        TurnRequested.class),
                new Sample(new AgentEvent.TurnStarted(UUID.randomUUID(), AT, 1, THREAD, TURN, "sess-1", "claude-sonnet"),
                        AgentEvent.class),
                new Sample(new AgentEvent.TextDelta(UUID.randomUUID(), AT, 1, THREAD, TURN, 7, "Hel", 0), AgentEvent.class),
                new Sample(new AgentEvent.TextBlock(UUID.randomUUID(), AT, 1, THREAD, TURN, 0, "Hello."), AgentEvent.class),
                new Sample(new AgentEvent.ToolCall(UUID.randomUUID(), AT, 1, THREAD, TURN, "toolu_1", "Bash", toolInput),
                        AgentEvent.class),
                new Sample(new AgentEvent.ToolResult(UUID.randomUUID(), AT, 1, THREAD, TURN, "toolu_1", "hello\n", false),
                        AgentEvent.class),
                new Sample(new AgentEvent.TurnCompleted(UUID.randomUUID(), AT, 1, THREAD, TURN, "Done.",
                        new Usage(10, 20, 30, 40), new BigDecimal("0.012345"), 1234, 2), AgentEvent.class),
                new Sample(new AgentEvent.TurnFailed(UUID.randomUUID(), AT, 1, THREAD, TURN,
                        AgentEvent.FailureReason.API_ERROR, "API Error: 529 overloaded", 99,
                        "4bf92f3577b34da6a3ce929d0e0e4736"), AgentEvent.class),
                new Sample(new ConversationEvent.MessageStored(UUID.randomUUID(), AT, 2, THREAD, msg, Role.ASSISTANT,
                        "Done.", AT, TURN, new Usage(1, 2, 0, 0), new BigDecimal("0.5"), 800L,
                        List.of(new ConversationEvent.ToolInvocation("toolu_1", "Bash", toolInput, "hello", false)),
                        List.of(ConversationEvent.ContentBlock.text("I will run it."),
                                ConversationEvent.ContentBlock.tool(new ConversationEvent.ToolInvocation("toolu_1", "Bash",
                                        toolInput, "hello", false)),
                                ConversationEvent.ContentBlock.text("Done."))), ConversationEvent.class),
                new Sample(new ConversationEvent.ThreadNotice(UUID.randomUUID(), AT, 2, THREAD, "storage-delayed",
                        "Storing is delayed.", false), ConversationEvent.class),
                new Sample(AgentCommand.CancelTurn.of(THREAD, TURN), AgentCommand.class),
                new Sample(new SummaryRequested(UUID.randomUUID(), AT, 1, THREAD, TURN, 2, Granularity.WEEKLY,
                        java.time.LocalDate.parse("2026-03-02"), java.time.LocalDate.parse("2026-03-09"), "haiku",
                        new BigDecimal("0.05"), "Summarize.", "--- [2026-03-02] daily\nWe met."), SummaryRequested.class),
                new Sample(new SummaryResult.SummaryCompleted(SummaryResult.eventId(TURN, 2), AT, 1, THREAD, TURN, 2,
                        "Met.\n[decision] use PostgreSQL", "claude-haiku", new Usage(100, 20, 0, 0),
                        new BigDecimal("0.0012"), 640), SummaryResult.class),
                new Sample(new SummaryResult.SummaryFailed(SummaryResult.eventId(TURN, 3), AT, 1, THREAD, TURN, 3,
                        "API_ERROR", "overloaded"), SummaryResult.class),
                new Sample(CompactionRequested.of(THREAD, Granularity.DAILY), CompactionRequested.class),
                new Sample(ScheduleFired.of(THREAD, UUID.fromString("0b7e5a0c-6f0d-4c3a-9a52-3c1e1f6b2a10"),
                        ScheduleKind.PROMPT, "Plan my week", "Plan my week, zażółć.", "sonnet", ScheduleTarget.THREAD,
                        Instant.parse("2026-11-23T07:00:00Z"), AT), ScheduleFired.class),
                new Sample(ScheduleFired.of(THREAD, UUID.randomUUID(), ScheduleKind.REMINDER, "Call Bob", "Remind me to call Bob.",
                        null, ScheduleTarget.TASK, AT, AT), ScheduleFired.class),
                new Sample(new TaskEvent.TaskCreated(TaskEvent.eventId(TURN, 1, "created"), AT, 1, THREAD, TURN,
                        "Check the links", "sonnet", "assistant"), TaskEvent.class),
                new Sample(new TaskEvent.TaskStarted(UUID.randomUUID(), AT, 1, THREAD, TURN, "Check the links", 2),
                        TaskEvent.class),
                new Sample(new TaskEvent.TaskNeedsInput(UUID.randomUUID(), AT, 1, THREAD, TURN, "Check the links",
                        "Which branch?"), TaskEvent.class),
                new Sample(new TaskEvent.TaskFinished(UUID.randomUUID(), AT, 1, THREAD, TURN, "Check the links", 1,
                        TaskPhase.Succeeded, "All 12 links work.", null, new Usage(10, 20, 0, 0),
                        new BigDecimal("0.02"), 4200), TaskEvent.class));
    }

    record Sample(ThreadEvent event, Class<?> readAs) {
        @Override
        public String toString() {
            return event.getClass().getSimpleName();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyRecordSurvivesJson(Sample sample) throws Exception {
        String json = JSON.writeValueAsString(sample.event());
        Object read = JSON.readValue(json, sample.readAs());
        assertEquals(sample.event(), read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void unknownFieldsAreIgnored(Sample sample) throws Exception {
        ObjectNode tree = JSON.valueToTree(sample.event());
        tree.put("addedInSchemaVersion2", "something new");
        tree.putObject("nested").put("x", 1);
        // a plain mapper (e.g. another service's) must read it too: the records say so themselves
        Object read = new ObjectMapper().findAndRegisterModules().readValue(tree.toString(), sample.readAs());
        assertEquals(sample.event(), read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void envelopeFieldsAreOnTheWire(Sample sample) throws Exception {
        JsonNode tree = JSON.valueToTree(sample.event());
        assertEquals(sample.event().eventId().toString(), tree.get("eventId").asText());
        assertEquals(sample.event().threadId(), tree.get("threadId").asText());
        assertTrue(tree.get("schemaVersion").asInt() >= 1);
        // UTC, ISO-8601, not epoch numbers
        assertTrue(tree.get("occurredAt").asText().endsWith("Z"), tree.get("occurredAt").asText());
    }

    @Test
    void everyPermittedSubtypeHasASample() throws Exception {
        Set<Class<?>> sampled = samples().map(s -> s.event().getClass()).collect(Collectors.toSet());
        Stream.of(AgentEvent.class, ConversationEvent.class, AgentCommand.class)
                .flatMap(sealed -> Arrays.stream(sealed.getPermittedSubclasses()))
                .forEach(sub -> assertTrue(sampled.contains(sub), "no round-trip sample for " + sub.getName()));
    }

    @Test
    void agentEventsNameTheirKind() throws Exception {
        JsonNode tree = JSON.valueToTree(new AgentEvent.TextDelta(UUID.randomUUID(), AT, 1, THREAD, TURN, 0, "x", 0));
        assertEquals("text.delta", tree.get("type").asText());
    }

    @Test
    void namedIdsAreStableAndDistinct() {
        assertEquals(EventIds.named("turn", TURN), EventIds.named("turn", TURN));
        assertTrue(!EventIds.named("turn", TURN).equals(EventIds.named("reply", TURN)));
    }

    @Test
    void aFiringsIdIsItsEventIdAndNamedByScheduleAndSlot() throws Exception {
        UUID schedule = UUID.randomUUID();
        Instant slot = Instant.parse("2026-11-23T07:00:00Z");
        ScheduleFired fired = ScheduleFired.of(THREAD, schedule, ScheduleKind.HEARTBEAT, "Heartbeat", "Check in.", "haiku",
                ScheduleTarget.THREAD, slot, AT);
        assertEquals(fired.eventId(), fired.firingId());
        assertEquals(EventIds.named("schedule-fired", schedule, slot), fired.firingId());
        assertEquals(fired.firingId(), ScheduleFired.of(THREAD, schedule, ScheduleKind.HEARTBEAT, "Heartbeat", "Check in.",
                "haiku", ScheduleTarget.THREAD, slot, AT.plusSeconds(5)).firingId(), "fired again for the same slot");
        assertTrue(!fired.firingId().equals(ScheduleFired.firingId(schedule, slot.plusSeconds(1800))), "another slot");
        JsonNode tree = JSON.valueToTree(fired);
        assertEquals("HEARTBEAT", tree.get("kind").asText());
        assertEquals("2026-11-23T07:00:00Z", tree.get("scheduledFor").asText());
        assertEquals(schedule.toString(), tree.get("scheduleId").asText());
        assertTrue(Topics.ALL.indexOf(Topics.SCHEDULE_FIRED) == Topics.ALL.indexOf(Topics.DEAD_LETTER) - 1);
    }

    @Test
    void topicNamesAreDistinct() {
        assertEquals(Topics.ALL.size(), Set.copyOf(Topics.ALL).size());
        Topics.ALL.forEach(t -> assertTrue(t.startsWith("mainloop."), t));
    }
}
