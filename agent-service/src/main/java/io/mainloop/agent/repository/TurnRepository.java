package io.mainloop.agent.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Records turns so that a redelivered turn request never runs a finished turn again. */
@ApplicationScoped
public class TurnRepository implements PanacheRepositoryBase<TurnEntity, UUID> {

    /** What {@link #begin} found: whether to run the turn, and the pid of a CLI an earlier attempt left. */
    public record Begin(boolean run, Long leftoverPid) {
    }

    /**
     * Marks the turn RUNNING unless it already finished.
     *
     * @return {@code run=false} if the turn finished before (skip it); {@code leftoverPid} if an
     *         attempt interrupted by a crash had started a CLI
     */
    @Transactional
    public Begin begin(UUID turnId, String threadId) {
        TurnEntity turn = findById(turnId);
        if (turn != null && turn.status != TurnEntity.Status.RUNNING) {
            return new Begin(false, null);
        }
        Long leftover = turn == null ? null : turn.cliPid;
        boolean isNew = turn == null;
        if (isNew) {
            turn = new TurnEntity();
            turn.turnId = turnId;
            turn.threadId = threadId;
        }
        turn.status = TurnEntity.Status.RUNNING;
        turn.startedAt = Instant.now();
        turn.cliPid = null;
        if (isNew) {
            persist(turn);
        }
        return new Begin(true, leftover);
    }

    /** Records the pid of the CLI now running the turn. */
    @Transactional
    public void started(UUID turnId, long pid) {
        TurnEntity turn = findById(turnId);
        if (turn != null) {
            turn.cliPid = pid;
        }
    }

    /** Marks the turn finished, after its final event was published. */
    @Transactional
    public void finish(UUID turnId, boolean completed) {
        TurnEntity turn = findById(turnId);
        turn.status = completed ? TurnEntity.Status.COMPLETED : TurnEntity.Status.FAILED;
        turn.finishedAt = Instant.now();
    }
}
