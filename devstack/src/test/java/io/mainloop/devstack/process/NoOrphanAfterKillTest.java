package io.mainloop.devstack.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After {@code kill -9} of the JVM that started them, no PostgreSQL or Kafka process survives. */
class NoOrphanAfterKillTest {

    @Test
    void kill9OfTheOwnerLeavesNoServerBehind(@TempDir Path dir) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process owner = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                StackHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        List<Long> pids;
        try (var out = new BufferedReader(new InputStreamReader(owner.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("PIDS ")) {
                // start-up output
            }
            assertTrue(line != null, "the owner JVM died before starting the servers");
            pids = Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
            pids.forEach(pid -> assertTrue(ProcessHandle.of(pid).isPresent(), "server " + pid + " runs"));

            new ProcessBuilder("kill", "-9", String.valueOf(owner.pid())).start().waitFor();
            owner.waitFor();
        }
        var exits = pids.stream().map(ProcessHandle::of).flatMap(java.util.Optional::stream)
                .map(ProcessHandle::onExit).toArray(java.util.concurrent.CompletableFuture[]::new);
        try {
            java.util.concurrent.CompletableFuture.allOf(exits).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // asserted below, process by process
        }
        for (long pid : pids) {
            assertFalse(alive(pid), "process " + pid + " outlived kill -9 of its owner");
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
