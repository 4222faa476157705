package io.mainloop.agent.repository;

import io.mainloop.support.jdbc.Timestamps;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Records turns: a redelivered turn request never runs a finished turn again (the idempotency
 * key is the turn id), a turn interrupted by a restart is re-attached rather than started over,
 * and a cancel reaches the turn wherever and whenever it runs.
 */
@ApplicationScoped
public class TurnRepository implements PanacheRepositoryBase<TurnEntity, UUID> {

    /**
     * What {@link #begin} found.
     *
     * @param run false if the turn finished before (skip it)
     * @param sessionId the turn's Claude Code session id
     * @param attempt 1 for the first attempt, more after a restart mid-turn
     * @param leftoverPid the pid of the CLI an earlier attempt started, if it did
     * @param startedAt when the first attempt began
     * @param cancelRequested whether the owner already asked to cancel it
     */
    public record Begin(boolean run, UUID sessionId, int attempt, Long leftoverPid, Instant startedAt,
                        boolean cancelRequested) {
    }

    /**
     * Marks the turn RUNNING (a new attempt) unless it already finished: one upsert, locking the
     * turn's row until the caller's transaction ends (two replicas given the same turn take turns).
     */
    @Transactional
    public Begin begin(UUID turnId, String threadId) {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = getEntityManager().createNativeQuery("""
                        INSERT INTO turn (turn_id, thread_id, status, started_at, session_id, attempts, cancel_requested)
                        VALUES (?1, ?2, 'RUNNING', ?3, ?4, 1, false)
                        ON CONFLICT (turn_id) DO UPDATE SET attempts = turn.attempts + 1,
                            session_id = COALESCE(turn.session_id, EXCLUDED.session_id)
                        WHERE turn.status = 'RUNNING'
                        RETURNING session_id, attempts, cli_pid, started_at, cancel_requested""")
                .setParameter(1, turnId).setParameter(2, threadId).setParameter(3, Instant.now())
                .setParameter(4, UUID.randomUUID()).getResultList();
        if (rows.isEmpty()) {
            TurnEntity done = findById(turnId); // it exists and its status is final
            return new Begin(false, done.sessionId, done.attempts, null, done.startedAt, done.cancelRequested);
        }
        Object[] r = rows.getFirst();
        return new Begin(true, (UUID) r[0], ((Number) r[1]).intValue(), r[2] == null ? null : ((Number) r[2]).longValue(),
                Timestamps.instant(r[3]), (Boolean) r[4]);
    }

    /**
     * Records the pid and the Claude Code session of the CLI now running the turn (a CLI started
     * ahead of the turn runs a session of its own, not the one chosen at {@link #begin}).
     *
     * @param sessionId the CLI's session, or null to keep the recorded one
     */
    @Transactional
    public void started(UUID turnId, long pid, UUID sessionId) {
        if (sessionId == null) {
            update("cliPid = ?1 where turnId = ?2", pid, turnId);
        } else {
            update("cliPid = ?1, sessionId = ?2 where turnId = ?3", pid, sessionId, turnId);
        }
    }

    /** Marks the turn finished, after its final event was published. */
    @Transactional
    public void finish(UUID turnId, boolean completed) {
        update("status = ?1, finishedAt = ?2 where turnId = ?3",
                completed ? TurnEntity.Status.COMPLETED : TurnEntity.Status.FAILED, Instant.now(), turnId);
    }

    /**
     * Records that the owner asked to cancel {@code turnId}, also for a turn not begun yet (it
     * then ends as cancelled without running).
     */
    @Transactional
    public void requestCancel(UUID turnId, String threadId) {
        getEntityManager().createNativeQuery("INSERT INTO turn (turn_id, thread_id, status, started_at, cancel_requested) "
                        + "VALUES (?1, ?2, 'RUNNING', now(), true) ON CONFLICT (turn_id) DO UPDATE SET cancel_requested = true")
                .setParameter(1, turnId).setParameter(2, threadId).executeUpdate();
    }

    /** Whether the owner asked to cancel {@code turnId}. */
    @Transactional
    public boolean cancelRequested(UUID turnId) {
        return count("turnId = ?1 and cancelRequested = true", turnId) > 0;
    }
}
