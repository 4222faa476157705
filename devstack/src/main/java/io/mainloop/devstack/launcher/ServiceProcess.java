package io.mainloop.devstack.launcher;

import io.mainloop.devstack.process.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One mainloop service run as its production jar ({@code target/quarkus-app/quarkus-run.jar}),
 * not dev mode, in a child JVM.
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * JVM options one service needs beyond the common ones: memory-service's Lucene compares vectors
     * with SIMD only when the incubating Vector API is present (README, "Search at scale": without
     * it a search of 100,000 messages took p95 416 ms). The JVM prints one warning line for it.
     */
    static final Map<String, List<String>> MODULE_OPTIONS =
            Map.of("memory-service", List.of("--add-modules=jdk.incubator.vector"));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final ChildProcess process;

    private ServiceProcess(String name, int port, ChildProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code module}'s built jar.
     *
     * @param env configuration as environment variables (Quarkus maps {@code QUARKUS_HTTP_PORT} etc.);
     *     it listens on {@code QUARKUS_HTTP_HOST}, loopback if that is not set
     * @param heapMb maximum heap, MiB
     * @throws IOException if the jar is missing or the JVM cannot start
     */
    public static ServiceProcess start(Path projectRoot, String module, int port, Map<String, String> env,
                                       int heapMb, Path logDir) throws IOException {
        Path jar = projectRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only; compiled after a twentieth of the usual calls: a turn runs each hop's code once, so
        // at the default thresholds it stays interpreted for hundreds of turns (a warm turn's hops took
        // 48 ms before the CLI had it, 32 ms with this)
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMb + "m", "-Xss512k",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.05",
                "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(MODULE_OPTIONS.getOrDefault(module, List.of()));
        command.addAll(List.of("-jar", jar.toString()));
        var fullEnv = new java.util.HashMap<>(env);
        fullEnv.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        fullEnv.putIfAbsent("QUARKUS_HTTP_HOST", "127.0.0.1"); // loopback unless env says otherwise
        ChildProcess child = ChildProcess.start(module, command, projectRoot, fullEnv,
                logDir.resolve(module + ".log"), null);
        return new ServiceProcess(module, port, child);
    }

    /**
     * Polls {@code /q/health/ready} every 100 ms until it answers 200 (UP).
     *
     * @throws IllegalStateException if the service exits or is not ready within {@code timeout}
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up");
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s");
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the JVM still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the service at once (SIGKILL, as {@code kill -9} would): no shutdown hooks run. */
    public void kill() {
        process.kill();
    }

    /** Stops the service gracefully (SIGTERM; SIGKILL after 15 s). */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
