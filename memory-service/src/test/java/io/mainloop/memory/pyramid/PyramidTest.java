package io.mainloop.memory.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.ConversationEvent.ContentBlock;
import io.mainloop.contracts.ConversationEvent.ToolInvocation;
import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.Role;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.memory.compaction.CompactionService;
import io.mainloop.memory.compaction.Compactor;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryService;
import io.mainloop.memory.repository.MemoryEntity;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.SummaryEntity;
import io.mainloop.memory.repository.SummaryRepository;
import io.mainloop.memory.service.ContextAssembler.AssembledContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The temporal pyramid against real PostgreSQL and Kafka, with a simulated clock: a year of
 * history compacted week after week, budget and drop order, a failed summary, two replicas.
 * Summaries are answered on Kafka by {@link FakeSummarizer} (agent-service does not run here;
 * the end-to-end tests use the real agent and CLI).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class PyramidTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mainloop.memory.context-token-budget")
    int budget;

    @Inject
    PyramidContextAssembler assembler;

    @Inject
    Compactor compactor;

    @Inject
    CompactionService compaction;

    @Inject
    MessageRepository messages;

    @Inject
    SummaryRepository summaries;

    @Inject
    MemoryService memories;

    SimulatedTime clock;
    String thread;

    @BeforeEach
    void setUp() {
        thread = "pyramid-" + UUID.randomUUID();
        clock = new SimulatedTime(Instant.parse("2025-12-01T08:00:00Z"), ZONE);
        QuarkusMock.installMockForType(clock, TimeSource.class);
    }

    @Test
    void aYearOfHistoryStaysWithinBudgetAndNoPlantedDecisionIsLost() throws Exception {
        List<String> planted = new ArrayList<>();
        LocalDate day = LocalDate.parse("2025-12-01"); // a Monday
        try (FakeSummarizer agent = new FakeSummarizer(bootstrap, thread)) {
            for (int week = 0; week < 52; week++) {
                for (int d = 0; d < 7; d++, day = day.plusDays(1)) {
                    if (d == 1 || d == 3 || d == 5) {
                        String decision = "[decision] Decision " + planted.size() + ": use option " + (planted.size() * 7) + ".";
                        boolean plant = d == 3;
                        if (plant) {
                            planted.add(decision.substring("[decision] ".length()));
                        }
                        seedDay(day, plant ? decision : null);
                    }
                }
                // Monday morning: last week has ended; a little of today has been said already
                clock.set(day.atTime(7, 0).atZone(ZONE).toInstant());
                seed(day.atTime(6, 30), Role.USER, "Good morning, what is on today for week " + week + "?");
                seed(day.atTime(6, 31), Role.ASSISTANT, "Three things are on today, week " + week + ".");
                compactor.catchUp(thread, false);
                agent.answerWhile(this::pending, WAIT);

                AssembledContext context = assembleFor("What did we decide so far?");
                assertTrue(context.estimatedTokens() <= budget, "week " + week + ": " + context.estimatedTokens()
                        + " tokens over the budget of " + budget);
                String seen = seen(context);
                assertTrue(seen.contains("Good morning, what is on today for week " + week + "?")
                        && seen.contains("Three things are on today, week " + week + "."),
                        "the day not yet compacted is in context in full");
            }
        }
        // every planted decision is a memory, and in the context (there are fewer than memories-in-context)
        List<String> remembered = QuarkusTransaction.requiringNew().call(() -> memories.list(thread, "DECISION", false, 1000))
                .stream().map(m -> m.text).toList();
        AssembledContext context = assembleFor("What did we decide so far?");
        for (String decision : planted) {
            assertTrue(remembered.contains(decision), decision + " is not a memory: " + remembered);
            assertTrue(seen(context).contains(decision), decision + " is not in the context");
        }
        // the pyramid: months, weeks and days all there, each period summarized once
        List<SummaryEntity> all = QuarkusTransaction.requiringNew().call(() ->
                summaries.between(thread, LocalDate.of(2000, 1, 1), LocalDate.of(2100, 1, 1)));
        assertTrue(all.stream().allMatch(SummaryEntity::done));
        assertEquals(11, all.stream().filter(s -> s.granularity == Granularity.MONTHLY).count());
        assertEquals(52, all.stream().filter(s -> s.granularity == Granularity.WEEKLY).count());
        // three planned days a week, and every Monday morning but the last (still today)
        assertEquals(52 * 3 + 51, all.stream().filter(s -> s.granularity == Granularity.DAILY).count());
        // (the retrieved layer, search hits for the new message, is SearchTest's subject)
        List<String> layerNames = context.layers().stream().filter(l -> !l.items().isEmpty())
                .map(ContextLayer::name).filter(name -> !name.equals("retrieved")).toList();
        assertEquals(List.of("system", "memories", "summaries", "recent", "prompt"), layerNames);
        String summaryLabels = context.layers().get(3).items().stream().map(ContextItem::label).collect(Collectors.joining(","));
        assertTrue(summaryLabels.contains("Month 2025-12") && summaryLabels.contains("Week of") && summaryLabels.contains("Day "),
                summaryLabels);
    }

    @Test
    void aFailedSummaryKeepsItsDayInFullAndIsAskedForAgain() throws Exception {
        LocalDate monday = LocalDate.parse("2026-03-02");
        seed(monday.atTime(10, 0), Role.USER, "The boiler code is 4471. Keep it safe.");
        seed(monday.atTime(10, 1), Role.ASSISTANT, "Noted the boiler code.");
        clock.set(monday.plusDays(1).atTime(9, 0).atZone(ZONE).toInstant());
        UUID daily = EventIds.named("summary", thread, Granularity.DAILY, monday);
        try (FakeSummarizer agent = new FakeSummarizer(bootstrap, thread)) {
            agent.failFirst.add(daily);
            compactor.catchUp(thread, false);
            agent.answerWhile(this::pending, WAIT);
            SummaryEntity failed = QuarkusTransaction.requiringNew().call(() -> summaries.findById(daily));
            assertEquals(SummaryEntity.PENDING, failed.status);
            assertTrue(failed.lastError.contains("overloaded"), failed.lastError);
            // meanwhile the day is in context in full (it is older than 24 hours)
            clock.set(monday.plusDays(2).atTime(9, 0).atZone(ZONE).toInstant());
            AssembledContext context = assembleFor("What is the boiler code?");
            assertTrue(seen(context).contains("The boiler code is 4471."));
            assertTrue(context.layers().stream().filter(l -> l.name().equals("unsummarized"))
                    .allMatch(l -> l.items().size() == 2));

            clock.set(clock.now().plus(Duration.ofHours(2))); // past the retry backoff
            compactor.catchUp(thread, false);
            agent.answerWhile(this::pending, WAIT);
        }
        SummaryEntity done = QuarkusTransaction.requiringNew().call(() -> summaries.findById(daily));
        assertTrue(done.done());
        assertEquals(2, done.attempts);
        AssembledContext context = assembleFor("What is the boiler code?");
        assertTrue(context.layers().stream().filter(l -> l.name().equals("unsummarized")).allMatch(l -> l.items().isEmpty()));
        assertTrue(seen(context).contains("The boiler code is 4471."), "the day's summary has it");
    }

    @Test
    void overBudgetTheCoarsestAndOldestGoFirstAndTheNewMessageNever() throws Exception {
        LocalDate today = LocalDate.parse("2026-06-15");
        clock.set(today.atTime(12, 0).atZone(ZONE).toInstant());
        seedDone(Granularity.MONTHLY, LocalDate.parse("2026-03-01"), "March: moved the blog to Hugo.");
        seedDone(Granularity.MONTHLY, LocalDate.parse("2026-04-01"), "April: taxes filed.");
        seedDone(Granularity.DAILY, LocalDate.parse("2026-06-13"), "Saturday: planned the garden.");
        QuarkusTransaction.requiringNew().run(() -> memories.remember(thread, "FACT", "The owner's dog is called Pixel.",
                true, null, MemoryEntity.Origin.OWNER, null, null));
        // the last 24 hours hold more than the budget: a long log pasted eight times, each cut to 4,000 tokens
        String log = "log line with details\n".repeat(1200);
        for (int i = 0; i < 8; i++) {
            seed(today.atTime(9, i), Role.USER, "Paste " + i + ":\n" + log);
        }
        AssembledContext context = assembleFor("Which paste had the error?");
        assertTrue(context.estimatedTokens() <= budget, context.estimatedTokens() + " > " + budget);
        assertTrue(seen(context).contains("Which paste had the error?"), "the new message is never dropped");
        assertTrue(seen(context).contains("The owner's dog is called Pixel."), "a pinned memory goes last");
        assertTrue(seen(context).contains("Paste 7:"), "the newest paste is kept");
        // dropped from the pyramid's layers (search may still bring a snippet of it back in the retrieved layer)
        assertFalse(context.layers().stream().filter(l -> !l.name().equals("retrieved")).flatMap(l -> l.items().stream())
                .anyMatch(i -> i.text().contains("Paste 0:")), "the oldest paste is dropped");
        assertTrue(seen(context).contains("[... "), "a long message is cut with a note");
        List<String> dropped = context.dropped().stream().map(ContextItem::label).toList();
        int march = dropped.indexOf("Month 2026-03");
        int april = dropped.indexOf("Month 2026-04");
        int saturday = dropped.indexOf("Day 2026-06-13");
        assertTrue(saturday >= 0 && april >= 0 && march >= 0, "the summaries were dropped: " + dropped);
        // dropped in keep order reversed: the decision list reads newest-first, so the dropped list
        // names the day before the months; the drop order itself is months (oldest first) then days
        assertTrue(saturday < april && april < march, dropped.toString());
    }

    @Test
    void twoReplicasAskForEachPeriodOnce() throws Exception {
        LocalDate day = LocalDate.parse("2026-02-02");
        for (int i = 0; i < 5; i++) {
            seedDay(day.plusDays(i), null);
        }
        clock.set(day.plusWeeks(1).atTime(9, 0).atZone(ZONE).toInstant());
        try (FakeSummarizer agent = new FakeSummarizer(bootstrap, thread)) {
            // two replicas checking at once race for the same periods
            List<CompletableFuture<Integer>> replicas = List.of(
                    CompletableFuture.supplyAsync(() -> compactor.catchUp(thread, true)),
                    CompletableFuture.supplyAsync(() -> compactor.catchUp(thread, true)));
            int sent = replicas.stream().mapToInt(CompletableFuture::join).sum();
            agent.answerWhile(this::pending, WAIT);
            assertEquals(5, sent, "five days, each asked for once");
            long distinct = agent.requests.stream().map(r -> r.summaryId()).distinct().count();
            assertEquals(agent.requests.size(), distinct, "no period asked for twice");
            assertEquals(6, distinct, "five days and their week");
        }
    }

    // --- helpers ---

    private boolean pending() {
        return QuarkusTransaction.requiringNew().call(() ->
                summaries.count("threadId = ?1 and status = 'PENDING' and lastError is null", thread)) > 0;
    }

    private AssembledContext assembleFor(String text) {
        MessageEntity prompt = new MessageEntity();
        prompt.id = UUID.randomUUID();
        prompt.threadId = thread;
        prompt.role = Role.USER;
        prompt.text = text;
        prompt.createdAt = clock.now();
        return QuarkusTransaction.requiringNew().call(() -> assembler.assemble(thread, List.of(prompt)));
    }

    private static String seen(AssembledContext context) {
        return context.layers().stream().flatMap(l -> l.items().stream()).map(ContextItem::text)
                .collect(Collectors.joining("\n"));
    }

    private void seedDay(LocalDate day, String decision) {
        seed(day.atTime(9, 0), Role.USER, "Let us plan " + day.getDayOfWeek().toString().toLowerCase()
                + ". " + (decision == null ? "Nothing to decide." : "So:\n" + decision));
        MessageEntity answer = seed(day.atTime(9, 1), Role.ASSISTANT, "Here is the plan for " + day + ".");
        QuarkusTransaction.requiringNew().run(() -> {
            MessageEntity m = messages.findById(answer.id);
            m.blocks = List.of(ContentBlock.text("I will check the calendar."),
                    ContentBlock.tool(new ToolInvocation("toolu_" + day, "Bash", null, "x".repeat(3000), false)),
                    ContentBlock.text("Here is the plan for " + day + "."));
        });
    }

    private MessageEntity seed(java.time.LocalDateTime at, Role role, String text) {
        MessageEntity m = new MessageEntity();
        m.id = UUID.randomUUID();
        m.threadId = thread;
        m.role = role;
        m.text = text;
        m.createdAt = at.atZone(ZONE).toInstant();
        QuarkusTransaction.requiringNew().run(() -> messages.insertIfAbsent(m));
        return m;
    }

    private void seedDone(Granularity g, LocalDate start, String text) {
        QuarkusTransaction.requiringNew().run(() -> {
            SummaryEntity s = new SummaryEntity();
            s.id = UUID.randomUUID();
            s.threadId = thread;
            s.granularity = g;
            s.periodStart = start;
            s.periodEnd = g.endOf(start);
            s.status = SummaryEntity.DONE;
            s.text = text;
            s.coversFrom = start.atStartOfDay(ZONE).toInstant();
            s.coversTo = s.periodEnd.atStartOfDay(ZONE).toInstant();
            s.attempts = 1;
            s.requestedAt = clock.now();
            s.retryAt = clock.now();
            summaries.persist(s);
        });
        // a message on the period's first day, so the plan reaches back to it
        seed(start.atTime(8, 0), Role.USER, "Something happened on " + start + ".");
    }
}
