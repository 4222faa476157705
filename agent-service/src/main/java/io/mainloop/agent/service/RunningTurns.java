package io.mainloop.agent.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The turns this replica is running, so that a cancel command can reach the right one. */
@ApplicationScoped
public class RunningTurns {

    private final Map<UUID, TurnProcess> running = new ConcurrentHashMap<>();

    void add(UUID turnId, TurnProcess process) {
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
        TurnProcess process = running.get(turnId);
        if (process == null) {
            return false;
        }
        process.kill(TurnProcess.Ending.CANCELLED);
        return true;
    }
}
