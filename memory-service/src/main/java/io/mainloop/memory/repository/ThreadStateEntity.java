package io.mainloop.memory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** Per thread: the turn the agent is running, if any (table {@code thread_state}). */
@Entity
@Table(name = "thread_state")
public class ThreadStateEntity {

    @Id
    @Column(name = "thread_id")
    public String threadId;

    @Column(name = "active_turn_id")
    public UUID activeTurnId;

    /** When the active turn was requested; null when none is active. */
    @Column(name = "active_since")
    public java.time.Instant activeSince;
}
