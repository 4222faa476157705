package io.mainloop.agent.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The turns this replica is following, so that a cancel can reach the right one; and whether
 * this service is stopping, in which case turns stop being followed without ending: their CLIs
 * keep running (they write to files) and the restarted service re-attaches to them.
 */
@ApplicationScoped
public class RunningTurns {

    private final Map<UUID, TurnCli> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    void add(UUID turnId, TurnCli process) {
        running.put(turnId, process);
    }

    void remove(UUID turnId) {
        running.remove(turnId);
    }

    /**
     * Stops the turn if this replica runs it.
     *
     * @return whether it was running here
     */
    public boolean cancel(UUID turnId) {
        TurnCli process = running.get(turnId);
        if (process == null) {
            return false;
        }
        process.kill(TurnProcess.Ending.CANCELLED);
        return true;
    }

    /** Whether this service is shutting down. */
    public boolean stopping() {
        return stopping;
    }

    /** On shutdown: stop following turns (their CLIs run on; nothing final is published). */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }
}
