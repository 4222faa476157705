package io.mainloop.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A CLI re-attached after a restart of agent-service is no child of it: once it exits it stays a
 * zombie until its new parent reaps it, which the JDK counts as alive. The turn must see it as
 * ended, or the thread's turns wait for the reaper.
 */
class TurnProcessTest {

    @Test
    void aReattachedProcessThatExitedButIsNotReapedHasEnded() throws Exception {
        // bash starts a child that exits half a second later, then becomes `sleep`, which never reaps it: a zombie
        Process parent = new ProcessBuilder("bash", "-c", "sleep 0.5 & echo $!; exec sleep 61").start();
        try {
            long pid = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().trim());
            awaitState(pid, 'Z');
            ProcessHandle zombie = ProcessHandle.of(pid).orElseThrow();
            assertTrue(zombie.isAlive(), "the JDK counts a zombie as alive (what this guards against)");

            TurnProcess attached = TurnProcess.attached(zombie, UUID.randomUUID());
            assertFalse(attached.isAlive(), "an exited, unreaped CLI has ended");
            attached.awaitExit(Duration.ofMinutes(5).toMillis()); // returns at once: it has exited
            assertFalse(attached.isAlive());
            assertEquals(Optional.empty(), TurnProcess.find(pid, ""), "not re-attached to");

            TurnProcess running = TurnProcess.attached(parent.toHandle(), UUID.randomUUID());
            assertTrue(running.isAlive(), "a running one runs");
            assertEquals(Optional.of(parent.pid()), TurnProcess.find(parent.pid(), "sleep 61").map(ProcessHandle::pid));
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    /** Waits until {@code pid}'s state ({@code /proc/<pid>/stat}) is {@code state}. */
    private static void awaitState(long pid, char state) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            if (stat.charAt(stat.lastIndexOf(')') + 2) == state) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("process " + pid + " never reached state " + state);
    }
}
