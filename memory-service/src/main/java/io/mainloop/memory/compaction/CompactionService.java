package io.mainloop.memory.compaction;

import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.SummaryRequested;
import io.mainloop.contracts.SummaryResult;
import io.mainloop.contracts.Topics;
import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryService;
import io.mainloop.memory.pyramid.PyramidPlan;
import io.mainloop.memory.repository.MemoryEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.OutboxRepository;
import io.mainloop.memory.repository.SummaryEntity;
import io.mainloop.memory.repository.SummaryRepository;
import io.mainloop.memory.service.StoredText;
import io.mainloop.memory.service.TokenEstimator;
import io.mainloop.support.ledger.ProcessedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Compaction of the memory pyramid: finds every period that has ended and has no summary, claims
 * it (one row per thread, granularity and period: two replicas never ask twice) and asks the
 * agent for it through the outbox ({@link SummaryRequested}); stores the answer and turns its
 * tagged lines into memories; asks again after a failure (backoff doubling from
 * {@code retry-backoff} to {@code max-retry-backoff}) or a lost answer ({@code answer-timeout}).
 * DAILY summaries are written from a day's messages, WEEKLY from the week's dailies once all are
 * written, MONTHLY from the month's full weeks and the dailies of its odd days.
 */
@ApplicationScoped
public class CompactionService {

    private static final Logger LOG = Logger.getLogger(CompactionService.class);
    /**
     * How far before the latest daily summary an incremental check looks for days without one (a
     * full scan, at start-up, looks at all): messages are stored as they come, so older days only
     * appear by import.
     */
    private static final int LOOK_BACK_DAYS = 7;
    /** How far back weeks and months are looked for (in the summary table only: cheap). */
    private static final int PARTS_LOOK_BACK_DAYS = 70;

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    @Inject
    SummaryRepository summaries;

    @Inject
    MessageRepository messages;

    @Inject
    OutboxRepository outbox;

    @Inject
    MemoryService memories;

    @Inject
    ProcessedEventRepository processedEvents;

    /**
     * Claims and requests the thread's due summaries of one granularity, and asks again for those
     * whose retry time has come. The requests go to the outbox in this transaction.
     *
     * @param fullScan look at the whole history (at start-up), else from a week before the latest daily summary
     * @return how many requests were written
     */
    @Transactional
    public int requestDue(String threadId, Granularity granularity, boolean fullScan) {
        LocalDate today = time.today();
        LocalDate latest = summaries.latestDaily(threadId);
        LocalDate from = fullScan || latest == null ? LocalDate.of(1970, 1, 1)
                : latest.minusDays(granularity == Granularity.DAILY ? LOOK_BACK_DAYS : PARTS_LOOK_BACK_DAYS);
        List<SummaryRequested> out = switch (granularity) {
            case DAILY -> dueDailies(threadId, from, today);
            case WEEKLY, MONTHLY -> dueFromParts(threadId, granularity, from, today);
        };
        outbox.add(out);
        return out.size();
    }

    /**
     * Asks again for the thread's pending summaries whose retry time has come (a failure's
     * backoff ran out, or no answer arrived in time).
     *
     * @return how many requests were written
     */
    @Transactional
    public int retryDue(String threadId) {
        Instant now = time.now();
        List<SummaryRequested> out = new ArrayList<>();
        for (SummaryEntity s : summaries.dueForRetry(threadId, now)) {
            if (summaries.takeRetry(s.id, s.attempts, now, now.plus(config.compaction().answerTimeout()))) {
                out.add(request(s, s.attempts + 1));
                LOG.infof("asking again for the %s summary of %s (attempt %d)", s.granularity, s.periodStart,
                        s.attempts + 1);
            }
        }
        outbox.add(out);
        return out.size();
    }

    private List<SummaryRequested> dueDailies(String threadId, LocalDate from, LocalDate today) {
        Set<LocalDate> claimed = summaries.between(threadId, Granularity.DAILY, from, today).stream()
                .map(s -> s.periodStart).collect(Collectors.toSet());
        List<SummaryRequested> out = new ArrayList<>();
        for (LocalDate day : messages.daysWithMessages(threadId, time.startOf(from), time.startOf(today), time.zone())) {
            if (!claimed.contains(day)) {
                Instant start = time.startOf(day);
                Instant end = time.startOf(day.plusDays(1));
                claim(threadId, Granularity.DAILY, day, start, end,
                        (int) messages.countBetween(threadId, start, end), null).ifPresent(out::add);
            }
        }
        return out;
    }

    /** WEEKLY: weeks whose dailies are all written; MONTHLY: months whose full weeks and odd days are all written. */
    private List<SummaryRequested> dueFromParts(String threadId, Granularity granularity, LocalDate from,
                                                LocalDate today) {
        Map<PyramidPlan.Segment, SummaryEntity> rows = new HashMap<>();
        summaries.between(threadId, granularity == Granularity.WEEKLY ? from : Granularity.MONTHLY.startOf(from), today)
                .forEach(s -> rows.put(new PyramidPlan.Segment(s.granularity, s.periodStart), s));
        Set<LocalDate> periods = rows.keySet().stream().filter(k -> k.granularity() == Granularity.DAILY)
                .map(k -> granularity.startOf(k.start())).collect(Collectors.toCollection(java.util.TreeSet::new));
        List<SummaryRequested> out = new ArrayList<>();
        for (LocalDate start : periods) {
            PyramidPlan.Segment period = new PyramidPlan.Segment(granularity, start);
            if (period.end().isAfter(today) || rows.containsKey(period)) {
                continue; // not ended yet, or claimed already
            }
            List<SummaryEntity> parts = new ArrayList<>();
            boolean ready = true;
            for (PyramidPlan.Segment part : period.parts()) {
                SummaryEntity s = rows.get(part);
                if (s == null && part.granularity() == Granularity.WEEKLY) {
                    boolean hasDays = part.parts().stream().anyMatch(rows::containsKey);
                    ready &= !hasDays; // a week with days needs its own summary first
                } else if (s != null) {
                    ready &= s.done();
                    parts.add(s);
                }
            }
            if (ready && !parts.isEmpty()) {
                parts.sort(Comparator.comparing(s -> s.periodStart));
                claim(threadId, granularity, start, time.startOf(start), time.startOf(period.end()), parts.size(),
                        parts).ifPresent(out::add);
            }
        }
        return out;
    }

    private java.util.Optional<SummaryRequested> claim(String threadId, Granularity granularity, LocalDate start,
                                                       Instant from, Instant to, int sourceCount,
                                                       List<SummaryEntity> parts) {
        Instant now = time.now();
        SummaryEntity s = new SummaryEntity();
        s.id = EventIds.named("summary", threadId, granularity, start);
        s.threadId = threadId;
        s.granularity = granularity;
        s.periodStart = start;
        s.periodEnd = granularity.endOf(start);
        s.status = SummaryEntity.PENDING;
        s.coversFrom = from;
        s.coversTo = to;
        s.sourceCount = sourceCount;
        s.sourceIds = parts == null ? null : parts.stream().map(p -> p.id).toList();
        s.attempts = 1;
        s.requestedAt = now;
        s.retryAt = now.plus(config.compaction().answerTimeout());
        if (!summaries.claim(s)) {
            return java.util.Optional.empty(); // another replica claimed it
        }
        LOG.infof("asking for the %s summary of %s of thread %s", granularity, granularity.label(start), threadId);
        return java.util.Optional.of(request(s, 1));
    }

    /** The request for attempt {@code attempt} of {@code s}, its material read now. */
    private SummaryRequested request(SummaryEntity s, int attempt) {
        int maxChars = config.compaction().maxMaterialChars();
        String material;
        if (s.granularity == Granularity.DAILY) {
            material = SummaryMaterial.ofMessages(messages.between(s.threadId, s.coversFrom, s.coversTo, 100_000),
                    time.zone(), maxChars);
        } else {
            List<UUID> ids = s.sourceIds == null ? List.of() : s.sourceIds;
            List<SummaryEntity> parts = ids.stream().map(summaries::findById).filter(p -> p != null && p.done())
                    .sorted(Comparator.comparing(p -> p.periodStart)).toList();
            material = SummaryMaterial.ofSummaries(parts, maxChars);
        }
        return new SummaryRequested(EventIds.named("summary-request", s.id, attempt), Instant.now(),
                SummaryRequested.SCHEMA_VERSION, s.threadId, s.id, attempt, s.granularity, s.periodStart, s.periodEnd,
                config.compaction().summaryModel(), config.compaction().maxBudgetUsd(),
                SummaryMaterial.instructions(s.granularity, s.granularity.label(s.periodStart)), material);
    }

    /**
     * Records the agent's answer once: a written summary is kept (the first that arrives) and its
     * tagged lines become memories; a failure is noted and the summary asked for again after a
     * backoff, the period staying in full detail meanwhile.
     *
     * @return the thread whose outbox to publish
     */
    @Transactional
    public String onResult(SummaryResult result) {
        if (!processedEvents.markProcessed(result.eventId(), Topics.AGENT_SUMMARY_RESULTS)) {
            return result.threadId();
        }
        SummaryEntity s = summaries.findById(result.summaryId());
        if (s == null || s.done()) {
            return result.threadId(); // unknown, or answered already
        }
        Instant now = time.now();
        switch (result) {
            case SummaryResult.SummaryCompleted done -> {
                s.status = SummaryEntity.DONE;
                s.text = StoredText.clean(done.text() == null ? "" : done.text().strip());
                s.tokens = TokenEstimator.estimate(s.text);
                s.model = done.model();
                s.costUsd = done.costUsd();
                s.inputTokens = done.usage() == null ? null : done.usage().inputTokens()
                        + done.usage().cacheReadInputTokens() + done.usage().cacheCreationInputTokens();
                s.outputTokens = done.usage() == null ? null : done.usage().outputTokens();
                s.completedAt = now;
                s.lastError = null;
                int made = 0;
                for (TaggedLines.Tagged line : TaggedLines.in(s.text)) {
                    memories.remember(s.threadId, line.kind().name(), line.text(), false,
                            line.kind() == MemoryEntity.Kind.HANDOFF ? handoffExpiry(s, now) : null,
                            MemoryEntity.Origin.SUMMARY, null, s.id);
                    made++;
                }
                LOG.infof("stored the %s summary of %s (%d memories from its tagged lines)", s.granularity,
                        s.granularity.label(s.periodStart), made);
                // the week or month it completes is asked for in this same transaction
                LocalDate from = s.periodStart.minusDays(PARTS_LOOK_BACK_DAYS);
                LocalDate today = time.today();
                List<SummaryRequested> next = new ArrayList<>(dueFromParts(s.threadId, Granularity.WEEKLY, from, today));
                next.addAll(dueFromParts(s.threadId, Granularity.MONTHLY, from, today));
                outbox.add(next);
            }
            case SummaryResult.SummaryFailed failed -> {
                if (failed.attempt() == s.attempts) {
                    s.lastError = failed.reason() + ": " + failed.message();
                    s.retryAt = now.plus(backoff(s.attempts));
                    LOG.warnf("the %s summary of %s failed (attempt %d, %s); asking again at %s", s.granularity,
                            s.granularity.label(s.periodStart), s.attempts, s.lastError, s.retryAt);
                }
            }
        }
        return s.threadId;
    }

    /** A handoff found in a summary stays as long as one made that day would. */
    private Instant handoffExpiry(SummaryEntity s, Instant now) {
        return s.coversTo.plus(config.handoffTtl());
    }

    private Duration backoff(int attempts) {
        Duration d = config.compaction().retryBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
        return d.compareTo(config.compaction().maxRetryBackoff()) > 0 ? config.compaction().maxRetryBackoff() : d;
    }
}
