package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.process.FreePorts;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.e2e.support.ThreadClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mainloop up --demo}, one turn answered and the next turn's CLI waiting, then Ctrl-C
 * (SIGINT to the launcher, as a terminal sends it): the services stop while PostgreSQL and Kafka
 * still run (each logs its clean stop; none loses its database or broker midway, none waits out its
 * shutdown timeout for a request left open, such as a waiting CLI's MCP connection), then the
 * infrastructure stops, and no process of the stack is left. The launcher runs as {@code ./mainloop} runs it (a JVM of its
 * own, its shutdown hooks included), on free ports with a fresh data directory.
 */
class LauncherStopE2ETest {

    private static final long START_S = 240;
    private static final long STOP_S = 120;

    @Test
    void ctrlCStopsTheServicesBeforeTheirInfrastructure() throws Exception {
        Path root = ClaudeCode.projectRoot();
        Path data = Files.createDirectories(Path.of("target")).resolve("launcher-" + System.currentTimeMillis()).toAbsolutePath();
        Path devstack = root.resolve("devstack/target");
        Path jar;
        try (Stream<Path> jars = Files.list(devstack)) {
            jar = jars.filter(p -> p.getFileName().toString().matches("devstack-.*\\.jar")
                    && !p.getFileName().toString().contains("sources") && !p.getFileName().toString().contains("tests"))
                    .findFirst().orElseThrow();
        }
        String classpath = jar + ":" + Files.readString(devstack.resolve("launcher.classpath")).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", classpath,
                "-Dmainloop.project.root=" + root, "io.mainloop.devstack.launcher.Launcher", "up", "--demo")
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("MAINLOOP_DATA_DIR", data.toString());
        int port = FreePorts.nextBlock(LocalStack.SERVICES.size());
        builder.environment().put("MAINLOOP_PORT", Integer.toString(port));
        Process launcher = builder.start();
        List<String> output = new ArrayList<>();
        List<ProcessHandle> stack;
        java.util.Map<String, Long> logStart = new java.util.HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            Thread reader = Thread.ofPlatform().daemon().start(() -> out.lines().forEach(line -> {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }));
            awaitLine(output, "mainloop is up", START_S);
            answerOneTurn(data, port);
            stack = launcher.toHandle().descendants().toList();
            assertTrue(stack.size() >= 6, "PostgreSQL, Kafka and the four services run: " + stack);
            for (String service : LocalStack.SERVICES) { // what each service logs from here on is its stop
                logStart.put(service, Files.size(log(data, service)));
            }

            new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).start().waitFor(); // Ctrl-C
            assertTrue(launcher.waitFor(STOP_S, TimeUnit.SECONDS), "the launcher did not exit: " + lines(output));
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } finally {
            launcher.destroyForcibly(); // a failed assertion leaves nothing running either
        }
        assertTrue(lines(output).contains("mainloop: stopped in"), lines(output));
        assertEquals(List.of(), lines(output).lines().filter(l -> l.contains("ERROR") || l.contains("Exception")).toList(),
                "the launcher's console (stdout and stderr) shows no error from start to stop");
        for (ProcessHandle process : stack) {
            process.onExit().get(STOP_S, TimeUnit.SECONDS);
            assertFalse(process.isAlive(), "left behind: " + process.pid() + " " + process.info().commandLine().orElse(""));
        }
        for (String service : LocalStack.SERVICES) {
            byte[] all = Files.readAllBytes(log(data, service));
            String stop = new String(all, Math.toIntExact(logStart.get(service)), all.length - Math.toIntExact(logStart.get(service)),
                    StandardCharsets.UTF_8);
            assertTrue(stop.contains(service + " stopped in"), service + " did not log its stop: " + stop);
            List<String> lost = stop.lines().filter(l -> l.contains("SQLState: 08")
                    || l.contains("Timed out waiting for graceful shutdown") || l.contains("could not be established")).toList();
            assertEquals(List.of(), lost, service + " lost its database or broker, or waited out its timeout, while it stopped");
        }
    }

    /**
     * Has the stack answer one message, then waits until the next turn's CLI waits with its MCP
     * servers connected: it has answered the requests it gets at start (its reply to
     * {@code get_context_usage} lists the MCP tools), so it holds its connections to memory-,
     * agent- and scheduler-service, as it does for the rest of its life.
     */
    private static void answerOneTurn(Path data, int gatewayPort) throws Exception {
        ThreadClient thread = new ThreadClient("http://127.0.0.1:" + gatewayPort,
                Files.readString(data.resolve("owner-token")).strip());
        try (SseClient stream = thread.stream(null)) {
            thread.post("[[reply:answered before the stop]]");
            stream.await(f -> f.event().equals("message.stored") && "ASSISTANT".equals(f.field("role"))
                    && f.field("text").contains("answered before the stop"), java.time.Duration.ofSeconds(START_S));
        }
        Path warm = data.resolve("workspaces").resolve("main").resolve(".mainloop").resolve("warm");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_S);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(warm)) {
                try (Stream<Path> outputs = Files.walk(warm)) {
                    if (outputs.filter(p -> p.getFileName().toString().equals("output.jsonl"))
                            .anyMatch(LauncherStopE2ETest::answeredItsStartRequests)) {
                        return;
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // a directory went away during the walk (a CLI ended or handed a turn): look again
                }
            }
            Thread.sleep(100); // polling interval of the wait, not a timing assumption
        }
        throw new AssertionError("no CLI waits for the next turn with its MCP servers connected");
    }

    private static boolean answeredItsStartRequests(Path output) {
        try {
            return Files.readString(output).contains("mainloop-warm-context");
        } catch (IOException e) {
            return false; // moved to a turn meanwhile
        }
    }

    private static Path log(Path data, String service) {
        return data.resolve("logs").resolve(service + ".log");
    }

    private static void awaitLine(List<String> output, String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (output) {
            while (output.stream().noneMatch(l -> l.contains(text))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no \"" + text + "\" within " + seconds + " s:\n" + String.join("\n", output));
                }
                output.wait(left);
            }
        }
    }

    private static String lines(List<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }
}
