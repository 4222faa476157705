package io.mainloop.memory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes {@link HeartbeatRunEntity}. */
@ApplicationScoped
public class HeartbeatRunRepository implements PanacheRepositoryBase<HeartbeatRunEntity, UUID> {

    /**
     * What heartbeats of a thread cost since a moment.
     *
     * @param beats firings
     * @param modelCalls firings that called the model
     * @param inputTokens input tokens reported by the CLI
     * @param outputTokens output tokens
     * @param costUsd cost, USD
     */
    public record Totals(long beats, long modelCalls, long inputTokens, long outputTokens, BigDecimal costUsd) {
    }

    /** The run of {@code turnId}, if that turn is a heartbeat's. */
    public Optional<HeartbeatRunEntity> ofTurn(UUID turnId) {
        return find("turnId", turnId).firstResultOptional();
    }

    /** The newest runs of {@code threadId}, newest first. */
    public List<HeartbeatRunEntity> newest(String threadId, int limit) {
        return find("threadId", Sort.descending("firedAt"), threadId).page(0, limit).list();
    }

    /** The last beat of {@code threadId} that looked at the thread (its model was called), if any. */
    public Optional<HeartbeatRunEntity> lastLooked(String threadId) {
        return find("threadId = ?1 and turnId is not null", Sort.descending("firedAt"), threadId).firstResultOptional();
    }

    /** Whether a run of {@code threadId} since {@code since} had {@code outcome}. */
    public boolean any(String threadId, Instant since, HeartbeatRunEntity.Outcome outcome) {
        return count("threadId = ?1 and firedAt >= ?2 and outcome = ?3", threadId, since, outcome) > 0;
    }

    /** Whether the latest ended run of {@code threadId} before {@code firedAt} failed. */
    public boolean previousFailed(String threadId, Instant firedAt) {
        return find("threadId = ?1 and firedAt < ?2 and outcome <> ?3", Sort.descending("firedAt"), threadId, firedAt,
                HeartbeatRunEntity.Outcome.RUNNING).firstResultOptional()
                .map(r -> r.outcome == HeartbeatRunEntity.Outcome.FAILED).orElse(false);
    }

    /** Totals of the runs of {@code threadId} fired at or after {@code since}. */
    public Totals since(String threadId, Instant since) {
        Object[] row = (Object[]) getEntityManager().createQuery("""
                        select count(r), count(r.turnId), coalesce(sum(r.inputTokens), 0), coalesce(sum(r.outputTokens), 0),
                               coalesce(sum(r.costUsd), 0)
                        from HeartbeatRunEntity r where r.threadId = ?1 and r.firedAt >= ?2""")
                .setParameter(1, threadId).setParameter(2, since).getSingleResult();
        return new Totals(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), ((Number) row[2]).longValue(),
                ((Number) row[3]).longValue(), row[4] instanceof BigDecimal b ? b : new BigDecimal(row[4].toString()));
    }
}
