package io.mainloop.memory.repository;

import io.mainloop.support.jdbc.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The latest state of each sub-agent task as its events told it (table {@code task_change}): what
 * a heartbeat looks at (tasks that changed since the last beat, open questions, failures).
 */
@ApplicationScoped
public class TaskChangeRepository {

    /**
     * A task's latest state.
     *
     * @param phase the {@link io.mainloop.contracts.TaskPhase} name
     * @param detail its question (NeedsInput), error (Failed) or the start of its result, else null
     */
    public record TaskChange(UUID taskId, String title, String phase, String detail, Instant changedAt) {
    }

    @Inject
    EntityManager em;

    /** Records a task's state, unless a later one is recorded already (events may come late). */
    public void record(UUID taskId, String threadId, String title, String phase, String detail, Instant at) {
        em.createNativeQuery("""
                        INSERT INTO task_change (task_id, thread_id, title, phase, detail, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                        ON CONFLICT (task_id) DO UPDATE SET title = COALESCE(EXCLUDED.title, task_change.title),
                            phase = EXCLUDED.phase, detail = EXCLUDED.detail, changed_at = EXCLUDED.changed_at
                        WHERE task_change.changed_at <= EXCLUDED.changed_at""")
                .setParameter(1, taskId).setParameter(2, threadId).setParameter(3, title).setParameter(4, phase)
                .setParameter(5, detail).setParameter(6, at).executeUpdate();
    }

    /** Tasks of {@code threadId} changed after {@code since} (all when null), newest first, at most {@code limit}. */
    public List<TaskChange> changedSince(String threadId, Instant since, int limit) {
        return rows(em.createNativeQuery("""
                        SELECT task_id, title, phase, detail, changed_at FROM task_change
                        WHERE thread_id = ?1 AND changed_at > ?2 ORDER BY changed_at DESC LIMIT ?3""")
                .setParameter(1, threadId).setParameter(2, since == null ? Instant.EPOCH : since).setParameter(3, limit)
                .getResultList());
    }

    /** Tasks of {@code threadId} that wait for the owner (NeedsInput) or failed after {@code failedSince}, newest first. */
    public List<TaskChange> open(String threadId, Instant failedSince, int limit) {
        return rows(em.createNativeQuery("""
                        SELECT task_id, title, phase, detail, changed_at FROM task_change
                        WHERE thread_id = ?1 AND (phase = 'NeedsInput' OR (phase = 'Failed' AND changed_at > ?2))
                        ORDER BY changed_at DESC LIMIT ?3""")
                .setParameter(1, threadId).setParameter(2, failedSince).setParameter(3, limit).getResultList());
    }

    @SuppressWarnings("unchecked")
    private static List<TaskChange> rows(List<?> result) {
        return ((List<Object[]>) result).stream().map(r -> new TaskChange((UUID) r[0], (String) r[1], (String) r[2],
                (String) r[3], Timestamps.instant(r[4]))).toList();
    }
}
