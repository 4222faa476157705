package io.mainloop.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** Reads and writes {@link ScheduleEntity}. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<ScheduleEntity, UUID> {

    /** All schedules, or those of {@code threadId} when it is not null, oldest first. */
    public List<ScheduleEntity> list(String threadId) {
        Sort order = Sort.by("createdAt").and("id");
        return threadId == null ? listAll(order) : list("threadId", order, threadId);
    }

    /** The schedule with {@code id}, locked until the caller's transaction ends, or null. */
    public ScheduleEntity lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
