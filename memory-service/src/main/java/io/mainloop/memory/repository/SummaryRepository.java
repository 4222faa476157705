package io.mainloop.memory.repository;

import io.mainloop.contracts.Granularity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Reads and writes {@link SummaryEntity}. */
@ApplicationScoped
public class SummaryRepository implements PanacheRepositoryBase<SummaryEntity, UUID> {

    /**
     * Stores {@code summary} unless its period has one already (the unique key decides between
     * two replicas).
     *
     * @return true if this call claimed the period
     */
    public boolean claim(SummaryEntity summary) {
        int inserted = getEntityManager().createNativeQuery("""
                        INSERT INTO summary (id, thread_id, granularity, period_start, period_end, status, covers_from,
                            covers_to, source_count, source_ids, attempts, requested_at, retry_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, 'PENDING', ?6, ?7, ?8, CAST(?9 AS jsonb), 1, ?10, ?11)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, summary.id).setParameter(2, summary.threadId)
                .setParameter(3, summary.granularity.name()).setParameter(4, summary.periodStart)
                .setParameter(5, summary.periodEnd).setParameter(6, summary.coversFrom)
                .setParameter(7, summary.coversTo).setParameter(8, summary.sourceCount)
                .setParameter(9, summary.sourceIds == null ? null : toJson(summary.sourceIds))
                .setParameter(10, summary.requestedAt).setParameter(11, summary.retryAt)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Takes the next attempt of a pending summary whose retry time has come, unless another
     * replica took it first.
     *
     * @return true if this call took attempt {@code attempts + 1}
     */
    public boolean takeRetry(UUID id, int attempts, Instant now, Instant retryAt) {
        return getEntityManager().createNativeQuery("""
                        UPDATE summary SET attempts = attempts + 1, requested_at = ?3, retry_at = ?4, last_error = NULL
                        WHERE id = ?1 AND attempts = ?2 AND status = 'PENDING' AND retry_at <= ?3""")
                .setParameter(1, id).setParameter(2, attempts).setParameter(3, now).setParameter(4, retryAt)
                .executeUpdate() == 1;
    }

    /** Summaries of the thread of one granularity whose period starts in {@code [from, to)}, oldest first. */
    public List<SummaryEntity> between(String threadId, Granularity granularity, LocalDate from, LocalDate to) {
        return list("threadId = ?1 and granularity = ?2 and periodStart >= ?3 and periodStart < ?4",
                Sort.ascending("periodStart"), threadId, granularity, from, to);
    }

    /** All summaries of the thread whose period starts in {@code [from, to)}, newest first. */
    public List<SummaryEntity> between(String threadId, LocalDate from, LocalDate to) {
        return list("threadId = ?1 and periodStart >= ?2 and periodStart < ?3",
                Sort.descending("periodStart").and("granularity"), threadId, from, to);
    }

    /** Written summaries of the thread whose period starts on or after {@code from}. */
    public List<SummaryEntity> doneSince(String threadId, LocalDate from) {
        return list("threadId = ?1 and status = 'DONE' and periodStart >= ?2", threadId, from);
    }

    /** Pending summaries of the thread whose retry time has come. */
    public List<SummaryEntity> dueForRetry(String threadId, Instant now) {
        return list("threadId = ?1 and status = 'PENDING' and retryAt <= ?2", Sort.ascending("periodStart"),
                threadId, now);
    }

    /** The start of the thread's latest DAILY summary (any status), or null. */
    public LocalDate latestDaily(String threadId) {
        return find("select max(periodStart) from SummaryEntity where threadId = ?1 and granularity = ?2", threadId,
                Granularity.DAILY).project(LocalDate.class).firstResult();
    }

    private static String toJson(List<UUID> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
