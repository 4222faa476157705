package io.mainloop.images;

import io.mainloop.devstack.claude.ClaudeCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code podman} (and {@code images/build.sh}) with the project's {@code images/containers.conf}
 * selected through {@code CONTAINERS_CONF}, unless the environment selects another file.
 */
final class Podman {

    static final Path ROOT = ClaudeCode.projectRoot();

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private Podman() {
    }

    /** Whether a podman client is installed (it answers {@code --version}). */
    static boolean installed() {
        try {
            return run(Duration.ofSeconds(30), "--version").ok();
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** {@code podman <args>}, waiting at most {@code timeout}. */
    static Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return exec(command, timeout, null);
    }

    /** {@code podman <args>}, waiting at most 2 minutes; fails the test unless it exits 0. */
    static String ok(String... args) {
        Result result = run(Duration.ofMinutes(2), args);
        if (!result.ok()) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited " + result.exit() + ":\n"
                    + result.output());
        }
        return result.output().strip();
    }

    /**
     * Runs {@code command} in the project root with {@code CONTAINERS_CONF} set; its output is
     * collected and, when {@code echo} is not null, also copied there line by line as it comes.
     */
    static Result exec(List<String> command, Duration timeout, PrintStream echo) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        if (env.getOrDefault("CONTAINERS_CONF", "").isBlank()) {
            env.put("CONTAINERS_CONF", ROOT.resolve("images/containers.conf").toString());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(command.get(0) + " could not be started", e);
        }
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), collected, echo));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(5000);
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout.toSeconds()
                        + " s:\n" + collected.toString(StandardCharsets.UTF_8));
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
        synchronized (collected) {
            return new Result(process.exitValue(), collected.toString(StandardCharsets.UTF_8));
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream collected, PrintStream echo) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (collected) {
                    collected.write(buffer, 0, n);
                }
                if (echo != null) {
                    echo.write(buffer, 0, n);
                    echo.flush();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
