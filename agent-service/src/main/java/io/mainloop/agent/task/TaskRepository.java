package io.mainloop.agent.task;

import io.mainloop.contracts.TaskPhase;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** Reads and writes {@link TaskEntity}. */
@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<TaskEntity, UUID> {

    /** The task of {@code threadId} with {@code id}, or null. */
    public TaskEntity find(String threadId, UUID id) {
        TaskEntity task = findById(id);
        return task != null && task.threadId.equals(threadId) ? task : null;
    }

    /** The task with {@code id}, locked for the rest of the transaction, or null. */
    public TaskEntity lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The thread's tasks, newest first. */
    public List<TaskEntity> ofThread(String threadId, int max) {
        return find("threadId", Sort.descending("createdAt").and("id"), threadId).page(0, max).list();
    }

    /** Tasks in {@code phase}, oldest first. */
    public List<TaskEntity> inPhase(TaskPhase phase, int max) {
        return find("phase", Sort.ascending("createdAt").and("id"), phase).page(0, max).list();
    }

    /** How many tasks run now. */
    public long running() {
        return count("phase", TaskPhase.Running);
    }

    /** Ended tasks whose {@code task.finished} Kafka has not acknowledged yet. */
    public List<TaskEntity> endsToPublish() {
        return list("endPublished = false and phase in ?1", List.of(TaskPhase.Succeeded, TaskPhase.Failed,
                TaskPhase.Cancelled));
    }
}
