package io.mainloop.agent.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Records turns so that a redelivered turn request never runs a finished turn again. */
@ApplicationScoped
public class TurnRepository implements PanacheRepositoryBase<TurnEntity, UUID> {

    /**
     * Marks the turn RUNNING unless it already finished.
     *
     * @return false if the turn finished before (skip it)
     */
    @Transactional
    public boolean begin(UUID turnId, String threadId) {
        TurnEntity turn = findById(turnId);
        if (turn != null && turn.status != TurnEntity.Status.RUNNING) {
            return false;
        }
        boolean isNew = turn == null;
        if (isNew) {
            turn = new TurnEntity();
            turn.turnId = turnId;
            turn.threadId = threadId;
        }
        turn.status = TurnEntity.Status.RUNNING;
        turn.startedAt = Instant.now();
        if (isNew) {
            persist(turn);
        }
        return true;
    }

    /** Marks the turn finished, after its final event was published. */
    @Transactional
    public void finish(UUID turnId, boolean completed) {
        TurnEntity turn = findById(turnId);
        turn.status = completed ? TurnEntity.Status.COMPLETED : TurnEntity.Status.FAILED;
        turn.finishedAt = Instant.now();
    }
}
