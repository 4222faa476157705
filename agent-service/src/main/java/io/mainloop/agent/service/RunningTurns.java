package io.mainloop.agent.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The turns this replica is running, so that a cancel command can reach the right one, and so
 * that a stopping service ends its CLIs without declaring their turns finished (they run again
 * after the restart: the turn record was not acknowledged).
 */
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

    /** On shutdown: stops every running CLI; their turns publish nothing final. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        running.values().forEach(process -> process.kill(TurnProcess.Ending.SHUTDOWN));
    }

    /**
     * Kills the process group of a CLI left running by an attempt that a crash of this service
     * interrupted, if that process still exists and is a Claude Code CLI.
     *
     * @return whether something was killed
     */
    public boolean killLeftover(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("claude"))
                .map(p -> {
                    TurnProcess.killGroup(p);
                    return true;
                })
                .orElse(false);
    }
}
