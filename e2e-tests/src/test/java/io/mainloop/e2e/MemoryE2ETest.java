package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.CompactionRequested;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.launcher.ServiceProcess;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The memory pyramid through the whole system, with the real Claude Code CLI against the stand-in
 * API: the assistant saves a memory with its MCP tool during a turn and sees it in the next one;
 * a year of history is compacted by the real agent (days, weeks, months), a failed summary is
 * asked for again, and every planted decision survives; days left without summaries (a gap) are
 * caught up on without being asked; two memory-service replicas ask for each period once.
 */
@ExtendWith(RunningStack.class)
class MemoryE2ETest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration TURN = Duration.ofSeconds(90);
    private static final Duration COMPACTION = Duration.ofMinutes(6);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theAssistantRemembersWithItsToolAndSeesTheMemoryNextTurn(ThreadClient thread) {
        String decision = "The ledger uses PostgreSQL 17 (" + UUID.randomUUID() + ")";
        try (SseClient stream = thread.stream(null)) {
            thread.post("Please remember that. [[tool:mcp__memory__remember:{\"kind\":\"DECISION\",\"text\":\""
                    + decision + "\"}]]");
            Frame done = stream.await(f -> f.event().equals("turn.completed") || f.event().equals("turn.failed"), TURN);
            assertEquals("turn.completed", done.event(), done.data());
            assertTrue(done.field("text").contains("Remembered DECISION"), done.field("text"));
        }
        JsonNode memory = find(thread.get("/api/memories").path("memories"), m -> m.path("text").asText().equals(decision));
        assertEquals("TOOL", memory.path("origin").asText(), "saved by the assistant's tool");
        assertEquals("DECISION", memory.path("kind").asText());

        try (SseClient stream = thread.stream(null)) {
            thread.post("Which database does the ledger use? [[reply:PostgreSQL 17.]]");
            Frame started = stream.await(f -> f.event().equals("turn.started"), TURN);
            stream.await(f -> f.event().equals("turn.completed"), TURN);
            JsonNode context = thread.get("/api/thread/turns/" + started.field("turnId") + "/context");
            JsonNode memories = layer(context, "memories");
            assertTrue(memories.path("items").toString().contains(decision), "the memory is in the next turn's context");
            assertTrue(context.path("estimatedTokens").asInt() <= context.path("budgetTokens").asInt());
        }
    }

    @Test
    void aYearIsCompactedByTheRealAgentAndNoPlantedDecisionIsLost(LocalStack stack) throws Exception {
        String thread = "e2e-year-" + UUID.randomUUID();
        String failKey = "year-" + UUID.randomUUID();
        ZoneId zone = ZoneId.systemDefault(); // memory-service runs here with the system's zone
        LocalDate today = LocalDate.now(zone);
        List<String> planted = new ArrayList<>();
        Set<LocalDate> active = new TreeSet<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.jdbcPassword())) {
            for (int month = 12; month >= 1; month--) {
                LocalDate first = today.minusMonths(month).withDayOfMonth(5);
                seed(db, thread, first.atTime(9, 0), "USER", "We talked about the garden on " + first + ". Nothing decided.");
                String decision = "Year decision " + month + ": repaint the fence in colour " + (month * 11) + ".";
                planted.add(decision);
                LocalDate second = first.withDayOfMonth(20);
                seed(db, thread, second.atTime(18, 30), "USER", "Let us settle it. So:\n[decision] " + decision
                        + (month == 6 ? "\n[[fail-summary-once:" + failKey + "]]" : ""));
                seed(db, thread, second.atTime(18, 31), "ASSISTANT", "Settled: " + decision);
                active.add(first);
                active.add(second);
            }
            // within the last 24 h, so in context in full; its day gets a summary once it has ended
            // (the test may start just after midnight or run across it)
            LocalDateTime cat = LocalDateTime.now(zone).minusMinutes(30);
            seed(db, thread, cat, "USER", "Earlier today I fed the cat.");
            active.add(cat.toLocalDate());
            known(db, thread);
        }
        try (TopicProbe kafka = new TopicProbe(stack.bootstrapServers())) {
            kafka.send(Topics.MEMORY_COMPACTION, thread, JSON.writeValueAsString(CompactionRequested.of(thread, null)));

            JsonNode summaries = awaitSummaries(stack, thread, () -> expectedPeriods(active, LocalDate.now(zone)));
            JsonNode retried = find(summaries.path("summaries"), s -> s.path("granularity").asText().equals("DAILY")
                    && s.path("periodStart").asText().equals(today.minusMonths(6).withDayOfMonth(20).toString()));
            assertEquals(2, retried.path("attempts").asInt(), "the failed summary was asked for again: " + retried);
            assertTrue(retried.path("model").asText().length() > 0 && retried.path("costUsd").isNumber(),
                    "model and cost are kept: " + retried);

            MessageAccepted question = MessageAccepted.of(thread, UUID.randomUUID(), "c-" + UUID.randomUUID(),
                    "What did we decide about the fence? [[reply:See the memories.]]");
            kafka.send(Topics.CONVERSATION_INBOUND, thread, JSON.writeValueAsString(question));
            String turn = kafka.await(Topics.AGENT_TURNS, v -> v.contains(thread), 1, TURN).getFirst();
            String turnId = JSON.readTree(turn).path("turnId").asText();
            kafka.await(Topics.CONVERSATION_EVENTS, v -> v.contains(thread) && v.contains("\"role\":\"ASSISTANT\""), 1, TURN);

            JsonNode context = memoryGet(stack, "/api/threads/" + thread + "/turns/" + turnId + "/context");
            assertTrue(context.path("estimatedTokens").asInt() <= 30_000, "within the budget: " + context.path("estimatedTokens"));
            assertTrue(context.path("reportedInputTokens").asLong() > 0, "the CLI's count is recorded beside the estimate");
            String seen = context.path("layers").toString();
            assertTrue(seen.contains("Earlier today I fed the cat."), "today is in context in full");
            assertTrue(layer(context, "summaries").path("items").size() > 0, "older periods come as summaries");
            JsonNode memories = memoryGet(stack, "/api/threads/" + thread + "/memories?kind=DECISION");
            for (String decision : planted) {
                assertTrue(memories.toString().contains(decision), decision + " is not a memory");
                assertTrue(seen.contains(decision), decision + " is not in the context");
            }
        }
    }

    @Test
    void daysLeftWithoutSummariesAreCaughtUpOnWithoutAsking(LocalStack stack) throws Exception {
        String thread = "e2e-gap-" + UUID.randomUUID();
        ZoneId zone = ZoneId.systemDefault();
        LocalDate today = LocalDate.now(zone);
        Set<LocalDate> days = new TreeSet<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.jdbcPassword())) {
            for (int d = 3; d >= 1; d--) {
                LocalDate day = today.minusDays(d);
                seed(db, thread, day.atTime(12, 0), "USER", "Day " + d + " of the trip. We saw the lake.");
                days.add(day);
            }
            known(db, thread);
        }
        // the three days, and the week or month one of them ended (Monday to Wednesday, the 1st to the 3rd)
        JsonNode summaries = awaitSummaries(stack, thread, () -> expectedPeriods(days, LocalDate.now(zone)));
        assertTrue(summaries.toString().contains("Day 1 of the trip."), "written from the day's messages");
    }

    @Test
    void twoMemoryServiceReplicasAskForEachPeriodOnce(LocalStack stack) throws Exception {
        String thread = "e2e-replicas-" + UUID.randomUUID();
        ZoneId zone = ZoneId.systemDefault();
        LocalDate today = LocalDate.now(zone);
        Set<LocalDate> active = new TreeSet<>();
        try (ServiceProcess replica = stack.startReplica("memory-service");
             Connection db = DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.jdbcPassword());
             TopicProbe kafka = new TopicProbe(stack.bootstrapServers())) {
            // both replicas look for ended periods every 3 s from now on, and race for these
            for (int d = 20; d >= 16; d--) {
                LocalDate day = today.minusDays(d);
                seed(db, thread, day.atTime(10, 0), "USER", "Replica day " + d + ". [decision] Keep day " + d + ".");
                active.add(day);
            }
            known(db, thread);
            kafka.send(Topics.MEMORY_COMPACTION, thread, JSON.writeValueAsString(CompactionRequested.of(thread, null)));
            Supplier<Set<String>> periods = () -> expectedPeriods(active, LocalDate.now(zone));
            Set<String> expected = done(awaitSummaries(stack, thread, periods)); // exactly the expected ones
            awaitSummaries(stack, replica.port(), thread, () -> expected); // the other replica sees the same
            List<JsonNode> requests = kafka.readAll(Topics.AGENT_SUMMARIES, v -> v.contains(thread)).stream()
                    .map(MemoryE2ETest::tree).toList();
            Set<String> ids = requests.stream().map(r -> r.path("summaryId").asText()).collect(Collectors.toSet());
            assertEquals(expected.size(), ids.size(), "one summary per period");
            // the race is for the claim: each period's first attempt is asked for by one replica only
            // (a summary that failed under load is asked for again, as attempt 2: that is not a race)
            List<String> firstAttempts = requests.stream().filter(r -> r.path("attempt").asInt() == 1)
                    .map(r -> r.path("summaryId").asText()).toList();
            assertEquals(ids.size(), firstAttempts.size(), "each period claimed once: " + firstAttempts);
            Set<String> attempts = requests.stream()
                    .map(r -> r.path("summaryId").asText() + "#" + r.path("attempt").asInt()).collect(Collectors.toSet());
            assertEquals(requests.size(), attempts.size(), "no attempt asked for twice: " + requests.size() + " requests");
        }
    }

    // --- helpers ---

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The periods that should get a summary: each ended active day, and each ended week and month holding one. */
    private static Set<String> expectedPeriods(Set<LocalDate> active, LocalDate today) {
        Set<String> expected = new TreeSet<>();
        for (LocalDate day : active) {
            if (day.isBefore(today)) {
                expected.add("DAILY " + day);
            }
            LocalDate week = io.mainloop.contracts.Granularity.WEEKLY.startOf(day);
            if (!week.plusWeeks(1).isAfter(today)) {
                expected.add("WEEKLY " + week);
            }
            LocalDate month = day.withDayOfMonth(1);
            if (!month.plusMonths(1).isAfter(today)) {
                expected.add("MONTHLY " + month);
            }
        }
        return expected;
    }

    private JsonNode awaitSummaries(LocalStack stack, String thread, Supplier<Set<String>> expected) throws Exception {
        return awaitSummaries(stack, stack.port("memory-service"), thread, expected);
    }

    /**
     * Polls until the thread's done summaries are exactly the expected periods. The expectation is
     * asked for again on each poll, as a day, week or month ends when the clock passes midnight.
     */
    private JsonNode awaitSummaries(LocalStack stack, int memoryPort, String thread, Supplier<Set<String>> periods)
            throws Exception {
        long deadline = System.nanoTime() + COMPACTION.toNanos();
        JsonNode last = null;
        Set<String> expected = periods.get();
        while (System.nanoTime() < deadline) {
            Set<String> before = periods.get();
            last = memoryGet(stack, memoryPort, "/api/threads/" + thread + "/summaries");
            expected = periods.get();
            if (!expected.equals(before)) {
                continue; // a period ended while we asked
            }
            Set<String> done = done(last);
            if (done.containsAll(expected)) {
                assertEquals(expected, done, "each period summarized once, no other");
                return last;
            }
            Thread.sleep(500); // polling an API for an outcome, not a timing assumption
        }
        throw new AssertionError("summaries not all written in " + COMPACTION.toMinutes() + " min: expected "
                + expected + ", have " + last);
    }

    /** "GRANULARITY periodStart" of each done summary in a summaries answer. */
    private static Set<String> done(JsonNode summaries) {
        return StreamSupport.stream(summaries.path("summaries").spliterator(), false)
                .filter(s -> s.path("status").asText().equals("DONE"))
                .map(s -> s.path("granularity").asText() + " " + s.path("periodStart").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private JsonNode memoryGet(LocalStack stack, String path) throws IOException, InterruptedException {
        return memoryGet(stack, stack.port("memory-service"), path);
    }

    private JsonNode memoryGet(LocalStack stack, int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(io.mainloop.e2e.support.ServiceApi.request(stack, port, path).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static void seed(Connection db, String thread, LocalDateTime at, String role, String text) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(
                "INSERT INTO memory.message (id, thread_id, role, text, created_at, turn_id) VALUES (?, ?, ?, ?, ?, ?)")) {
            st.setObject(1, UUID.randomUUID());
            st.setObject(6, UUID.randomUUID()); // answered long ago
            st.setString(2, thread);
            st.setString(3, role);
            st.setString(4, text);
            st.setTimestamp(5, Timestamp.from(at.atZone(ZoneId.systemDefault()).toInstant().truncatedTo(ChronoUnit.MILLIS)));
            st.executeUpdate();
        }
    }

    /** Makes {@code thread} one memory-service knows of, as any thread that had a turn. */
    private static void known(Connection db, String thread) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("INSERT INTO memory.thread_state (thread_id) VALUES (?)")) {
            st.setString(1, thread);
            st.executeUpdate();
        }
    }

    private static JsonNode layer(JsonNode context, String name) {
        return find(context.path("layers"), l -> l.path("name").asText().equals(name));
    }

    private static JsonNode find(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode n : array) {
            if (test.test(n)) {
                return n;
            }
        }
        throw new AssertionError("not found in " + array);
    }
}
