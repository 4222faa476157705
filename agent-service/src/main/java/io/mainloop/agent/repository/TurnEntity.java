package io.mainloop.agent.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A turn this service ran or runs (table {@code turn}). */
@Entity
@Table(name = "turn")
public class TurnEntity {

    /** Where a turn stands. */
    public enum Status { RUNNING, COMPLETED, FAILED }

    @Id
    @Column(name = "turn_id")
    public UUID turnId;

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    /** When the first attempt began (the turn's deadline counts from here). */
    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The CLI's pid, also its process group id (it runs under setsid); null before it started. */
    @Column(name = "cli_pid")
    public Long cliPid;

    /** The Claude Code session of the turn ({@code --session-id}); its CLI's command line names it. */
    @Column(name = "session_id")
    public UUID sessionId;

    /** How many times agent-service began the turn (more than one after a restart mid-turn). */
    @Column(nullable = false)
    public int attempts;

    /** Whether the owner asked to cancel the turn. */
    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;
}
