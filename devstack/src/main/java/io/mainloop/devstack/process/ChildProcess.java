package io.mainloop.devstack.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process in its own session (so a terminal's Ctrl-C reaches only the parent, which
 * stops children in order), guarded by a {@link ProcessGuard}, with its output appended to a log
 * file. {@link #awaitLine} waits for a line of output such as a readiness marker.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final ProcessGuard guard;
    private final CompletableFuture<String> marker = new CompletableFuture<>();
    private volatile Predicate<String> markerTest = line -> false;

    private ChildProcess(String name, Process process, ProcessGuard guard) {
        this.name = name;
        this.process = process;
        this.guard = guard;
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code env} added to this JVM's environment.
     *
     * @param log file that receives the child's stdout and stderr (appended)
     * @param echo where to echo each line as well (e.g. System.out), or null
     * @throws IOException if the process cannot be started
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
                                     Path log, PrintStream echo) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        var full = new java.util.ArrayList<String>();
        full.add("setsid");
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        ProcessGuard guard = ProcessGuard.forPid(process.pid(), "TERM", 10);
        ChildProcess child = new ChildProcess(name, process, guard);
        Thread.ofPlatform().daemon().name(name + "-output").start(() -> child.pump(log, echo));
        return child;
    }

    private void pump(Path log, PrintStream echo) {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (echo != null) {
                    echo.println("[" + name + "] " + line);
                }
                if (!marker.isDone() && markerTest.test(line)) {
                    marker.complete(line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            marker.completeExceptionally(new IllegalStateException(
                    name + " exited before it was ready (exit code " + exitCodeOrNull() + ")"));
        }
    }

    private Integer exitCodeOrNull() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Waits until the child prints a line matching {@code test}.
     *
     * @return the line
     * @throws IllegalStateException if the child exits first or {@code timeout} passes
     */
    public String awaitLine(Predicate<String> test, Duration timeout) {
        markerTest = test;
        try {
            return marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw (e.getCause() instanceof RuntimeException r) ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name);
        }
    }

    /** The child's pid. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The name given at start, for messages. */
    public String name() {
        return name;
    }

    /**
     * Stops the child: SIGTERM, then SIGKILL after {@code grace}.
     *
     * @return the exit code
     */
    public int stop(Duration grace) {
        try {
            // Signal through the ProcessHandle: Process.destroy() would also close the pipes at once,
            // and the child's last words (its shutdown log) would be lost.
            process.toHandle().destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        } finally {
            guard.release();
        }
    }

    /** Kills the child at once (SIGKILL, as {@code kill -9} would) and waits until it is gone. */
    public void kill() {
        try {
            process.toHandle().destroyForcibly();
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            guard.release();
        }
    }

    /** Stops the child with a 10 s grace period. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
