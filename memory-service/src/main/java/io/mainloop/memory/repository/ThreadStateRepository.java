package io.mainloop.memory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Reads and locks {@link ThreadStateEntity}. */
@ApplicationScoped
public class ThreadStateRepository implements PanacheRepositoryBase<ThreadStateEntity, String> {

    /** The thread's state, created if missing, locked for the rest of the transaction. */
    public ThreadStateEntity lock(String threadId) {
        getEntityManager().createNativeQuery(
                        "INSERT INTO thread_state (thread_id) VALUES (?1) ON CONFLICT (thread_id) DO NOTHING")
                .setParameter(1, threadId).executeUpdate();
        return findById(threadId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Threads whose active turn was requested before {@code cutoff}. */
    @jakarta.transaction.Transactional
    public java.util.List<String> withActiveTurnBefore(java.time.Instant cutoff) {
        return find("activeTurnId is not null and activeSince < ?1", cutoff).stream().map(s -> s.threadId).toList();
    }

    /** Every thread that ever had a message. */
    @jakarta.transaction.Transactional
    public java.util.List<String> allThreads() {
        return findAll().stream().map(s -> s.threadId).toList();
    }
}
