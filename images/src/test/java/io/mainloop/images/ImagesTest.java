package io.mainloop.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.kafka.KafkaBroker;
import io.mainloop.devstack.postgres.DevPostgres;
import io.mainloop.devstack.process.FreePorts;
import io.mainloop.devstack.standin.StandInAnthropicApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The container images, built by {@code images/build.sh} and run with podman: every image runs as
 * 10001; every service image starts with a read-only root filesystem, a tmpfs /tmp, all
 * capabilities dropped and no new privileges against real PostgreSQL and Kafka (devstack's) and
 * answers its health checks; the sub-agent image runs the pinned Claude Code CLI; Claude Code's
 * sandbox in a container never runs a command unsandboxed. Fails (never skips) without podman.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesTest {

    private static final String VERSION = System.getProperty("mainloop.images.version", "0.1.0-SNAPSHOT");
    private static final Map<String, Integer> SERVICE_PORTS = Map.of("gateway-service", 8080, "memory-service", 8081,
            "agent-service", 8082, "scheduler-service", 8083);
    private static final List<String> IMAGES = List.of("gateway-service", "memory-service", "agent-service",
            "scheduler-service", "agent-task");
    private static final String PREFIX = "mainloop-images-test-";
    private static final List<String> POD_LIKE = List.of("--read-only", "--tmpfs", "/tmp", "--user", "10001",
            "--cap-drop", "ALL", "--security-opt", "no-new-privileges");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path work = Path.of("target", "images-test").toAbsolutePath();

    @BeforeAll
    void buildImages() throws IOException {
        if (!Podman.installed()) {
            fail("podman is not installed: the images module builds the container images with podman and runs them."
                    + " Install the Debian packages podman buildah mmdebstrap uidmap fuse-overlayfs slirp4netns runc"
                    + " (.ci/run does: apt-get install -y podman buildah mmdebstrap uidmap fuse-overlayfs slirp4netns runc);"
                    + " see docs/images.md");
        }
        Files.createDirectories(work);
        removeContainers();
        long start = System.nanoTime();
        Podman.Result build = Podman.exec(List.of("bash", "images/build.sh", "--version", VERSION),
                Duration.ofMinutes(20), System.out);
        assertEquals(0, build.exit(), "images/build.sh failed (its output is above)");
        System.out.printf("images: images/build.sh took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    void removeContainers() {
        for (String name : IMAGES) {
            Podman.run(Duration.ofSeconds(60), "rm", "-f", "-t", "5", PREFIX + name);
        }
        Podman.run(Duration.ofSeconds(60), "rm", "-f", "-t", "5", PREFIX + "sandbox");
    }

    @Test
    void everyImageRunsAsUser10001WithItsPortAndOciLabels() {
        for (String name : IMAGES) {
            String image = localImage(name);
            assertEquals("10001:10001", Podman.ok("image", "inspect", "--format", "{{.Config.User}}", image), image);
            assertEquals(VERSION, Podman.ok("image", "inspect", "--format",
                    "{{ index .Config.Labels \"org.opencontainers.image.version\" }}", image), image);
            assertEquals("mainloop-" + name, Podman.ok("image", "inspect", "--format",
                    "{{ index .Config.Labels \"org.opencontainers.image.title\" }}", image), image);
            assertFalse(Podman.ok("image", "inspect", "--format",
                    "{{ index .Config.Labels \"org.opencontainers.image.revision\" }}", image).isBlank(), image);
            // the same image under the registry's name (what CI pushes)
            assertEquals(Podman.ok("image", "inspect", "--format", "{{.Id}}", image),
                    Podman.ok("image", "inspect", "--format", "{{.Id}}", "ghcr.io/mainloop-dev/mainloop-" + name + ":" + VERSION));
            System.out.printf("images: %s %s%n", image, Podman.ok("image", "inspect", "--format", "{{.Size}}", image));
        }
        SERVICE_PORTS.forEach((service, port) -> assertTrue(Podman.ok("image", "inspect", "--format",
                "{{ range $p, $v := .Config.ExposedPorts }}{{ $p }} {{ end }}", localImage(service)).contains(port + "/tcp"),
                service + " exposes " + port));
        // the one image with a shell: the user really is 10001 (uid and gid) and owns nothing of the app
        assertEquals("10001 10001", Podman.ok("run", "--rm", "--read-only", "--entrypoint", "sh", localImage("agent-task"),
                "-c", "echo $(id -u) $(id -g)"));
        String appFiles = Podman.ok("run", "--rm", "--entrypoint", "sh", localImage("agent-service"), "-c",
                "find /deployments /opt/java ! -type l \\( ! -user root -o -perm -o+w \\) -print | head -n 5;"
                        + " touch /deployments/x 2>&1; touch /opt/java/x 2>&1; true");
        assertTrue(appFiles.contains("/deployments/x': Permission denied") && appFiles.contains("/opt/java/x': Permission denied"),
                "the app and the runtime are read-only for 10001 even without --read-only: " + appFiles);
        assertFalse(appFiles.lines().anyMatch(l -> l.startsWith("/")), "files not owned by root or world-writable: " + appFiles);
    }

    @Test
    @Timeout(600)
    void everyServiceImageStartsReadOnlyAgainstPostgresAndKafka() throws Exception {
        try (DevPostgres postgres = DevPostgres.startEphemeral(); KafkaBroker kafka = KafkaBroker.startEphemeral()) {
            int base = FreePorts.nextBlock(4);
            Map<String, Integer> ports = new LinkedHashMap<>();
            List.of("gateway-service", "memory-service", "agent-service", "scheduler-service")
                    .forEach(s -> ports.put(s, base + ports.size()));
            String secret = random();
            Map<String, Map<String, String>> env = new LinkedHashMap<>();
            for (var service : ports.entrySet()) {
                Map<String, String> e = new LinkedHashMap<>();
                e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
                e.put("QUARKUS_HTTP_PORT", String.valueOf(service.getValue()));
                e.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
                e.put("QUARKUS_DATASOURCE_USERNAME", DevPostgres.USER);
                e.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
                e.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
                e.put("JAVA_TOOL_OPTIONS", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError");
                env.put(service.getKey(), e);
            }
            env.get("gateway-service").put("MAINLOOP_GATEWAY_OWNER_TOKEN", random());
            env.get("gateway-service").put("QUARKUS_REST_CLIENT_MEMORY_URL", "http://127.0.0.1:" + ports.get("memory-service"));
            env.get("gateway-service").put("QUARKUS_REST_CLIENT_AGENT_URL", "http://127.0.0.1:" + ports.get("agent-service"));
            env.get("memory-service").put("MAINLOOP_MEMORY_MCP_SECRET", secret);
            // as the chart runs it: Lucene's SIMD vector search needs the Vector API module in the runtime
            env.get("memory-service").merge("JAVA_TOOL_OPTIONS", " --add-modules=jdk.incubator.vector", String::concat);
            env.get("scheduler-service").put("MAINLOOP_SCHEDULER_MCP_SECRET", secret);
            env.get("scheduler-service").put("MAINLOOP_SCHEDULER_HEARTBEAT_ENABLED", "false");
            env.get("agent-service").put("MAINLOOP_AGENT_MEMORY_MCP_SECRET", secret);
            // in a pod the pod is the sandbox (docs/images.md): bubblewrap cannot mount /proc there
            env.get("agent-service").put("MAINLOOP_AGENT_SANDBOX_ENABLED", "false");
            env.get("agent-service").put("HOME", "/home/agent");

            // the gateway alone first, timed: from `podman run` to live and to ready (database and Kafka reached)
            long start = System.nanoTime();
            startService("gateway-service", env.get("gateway-service"));
            awaitHealth("gateway-service", ports.get("gateway-service"), "live", Duration.ofSeconds(120));
            double live = (System.nanoTime() - start) / 1e9;
            awaitHealth("gateway-service", ports.get("gateway-service"), "ready", Duration.ofSeconds(60));
            double ready = (System.nanoTime() - start) / 1e9;
            String started = logs("gateway-service").lines().filter(l -> l.contains("started in")).findFirst()
                    .map(l -> l.replaceAll(".*(started in [0-9.]+s).*", "$1")).orElse("?");
            System.out.printf("images: the gateway's container was live after %.1f s, ready after %.1f s (Quarkus: %s)%n",
                    live, ready, started);

            // then the three others side by side, on the same runtime
            List<CompletableFuture<Void>> others = new ArrayList<>();
            for (String service : List.of("memory-service", "agent-service", "scheduler-service")) {
                others.add(CompletableFuture.runAsync(() -> {
                    startService(service, env.get(service));
                    awaitHealth(service, ports.get(service), "ready", Duration.ofSeconds(180));
                }));
            }
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
            System.out.printf("images: all four service containers ready %.1f s after the gateway's start%n",
                    (System.nanoTime() - start) / 1e9);

            // a graceful stop: SIGTERM, and the JVM ends by itself (143 or 0), not killed after the grace period (137)
            CompletableFuture.allOf(ports.keySet().stream().map(service -> CompletableFuture.runAsync(() -> {
                long stop = System.nanoTime();
                Podman.ok("stop", "-t", "30", PREFIX + service);
                String exit = Podman.ok("inspect", "--format", "{{.State.ExitCode}}", PREFIX + service);
                System.out.printf("images: %s stopped in %.1f s, exit code %s%n", service, (System.nanoTime() - stop) / 1e9, exit);
                assertTrue(List.of("0", "143").contains(exit), service + " exited " + exit + ":\n" + logs(service));
                Podman.ok("rm", PREFIX + service);
            })).toArray(CompletableFuture[]::new)).join();
        }
    }

    @Test
    void agentTaskRunsThePinnedClaudeCodeCliWithGitAndGh() {
        String image = localImage("agent-task");
        List<String> run = new ArrayList<>(List.of("run", "--rm"));
        run.addAll(POD_LIKE);
        run.add(image);
        run.add("--version");
        String version = Podman.ok(run.toArray(String[]::new));
        assertTrue(version.startsWith(ClaudeCode.version() + " "), "claude --version: " + version);
        assertEquals("[\"claude\"]", Podman.ok("image", "inspect", "--format", "{{json .Config.Entrypoint}}", image));
        String tools = Podman.ok("run", "--rm", "--read-only", "--entrypoint", "sh", image, "-c",
                "git --version; gh --version | head -n 1; bwrap --version; socat -V | sed -n 2p; echo HOME=$HOME; pwd");
        assertTrue(tools.contains("git version") && tools.contains("gh version") && tools.contains("bubblewrap"), tools);
        assertTrue(tools.contains("HOME=/home/agent") && tools.endsWith("/workspace"), tools);
        // HOME and /workspace are writable only through volumes
        String readOnly = Podman.ok("run", "--rm", "--read-only", "--entrypoint", "sh", image, "-c",
                "touch /home/agent/x 2>&1; touch /workspace/x 2>&1; true");
        assertTrue(readOnly.contains("/home/agent/x': Read-only file system")
                && readOnly.contains("/workspace/x': Read-only file system"), readOnly);
        // the main thread's CLI inside agent-service's image is the same pinned one
        String inAgent = Podman.ok("run", "--rm", "--read-only", "--entrypoint", "/usr/local/bin/claude",
                localImage("agent-service"), "--version");
        assertTrue(inAgent.startsWith(ClaudeCode.version() + " "), inAgent);
    }

    /**
     * The finding of docs/images.md, "Claude Code's sandbox in a container": run as a pod runs it
     * (non-root, all capabilities dropped, no new privileges, /proc masked as by default), the
     * CLI's sandboxed Bash never runs a command unsandboxed: bubblewrap either cannot start (it
     * cannot mount /proc: every command fails) or confines writes to the working directory.
     * Without the sandbox the same command runs.
     */
    @Test
    void claudeCodesSandboxInAContainerNeverRunsACommandUnsandboxed() throws Exception {
        try (StandInAnthropicApi api = StandInAnthropicApi.start(0)) {
            String command = "echo hi > /workspace/f && cat /workspace/f && echo out > /home/agent/outside && echo wrote-outside";
            String off = bashThroughTheCli(api, command, false);
            assertTrue(off.contains("wrote-outside"), "without the sandbox the command runs: " + off);
            String on = bashThroughTheCli(api, command, true);
            boolean bwrapFailed = on.contains("bwrap: Can't mount proc");
            boolean confined = on.contains("hi") && on.contains("Read-only file system") && !on.contains("wrote-outside");
            assertTrue(bwrapFailed || confined, "the sandboxed command ran unconfined: " + on);
            System.out.println("images: Claude Code's sandbox in a pod-like container: " + (bwrapFailed
                    ? "bubblewrap cannot start (" + on.replaceAll("(?s).*(bwrap: [^\\\"]*).*", "$1") + ")"
                    : "works, writes confined to the workspace"));
        }
    }

    /**
     * A main-thread turn as agent-service's Kubernetes turn mode runs it (agent-service's
     * {@code turnpod.TurnPods}): the agent-task image, pod-like, with {@code sh -c 'exec claude -p "$@"
     * < /turn/input.jsonl'} and the turn's flags (its context and message as one stream-json user
     * message), its files mounted read-only at {@code /turn}, the
     * workspace and HOME on volumes. The real CLI answers the turn from its files, and its Bash tool
     * sees none of agent-service's settings (the pod gets only the CLI's own environment).
     */
    @Test
    void aTurnPodsCommandAnswersATurnInTheAgentTaskImage() throws Exception {
        try (StandInAnthropicApi api = StandInAnthropicApi.start(0)) {
            Path files = work.resolve("turn-pod-files");
            Files.createDirectories(files);
            Files.writeString(files.resolve("input.jsonl"), "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
                    + "\"<context>\\nYou are mainloop. The owner's name is Ada.\\n</context>\\n\\n"
                    + "What is in my environment? [[tool:Bash:env | sort | cut -d= -f1]]\"}}\n");
            String settings = "{\"disableAllHooks\":true,\"sandbox\":{\"enabled\":false}}";
            Podman.exec(List.of("chmod", "-R", "a+rX", files.toString()), Duration.ofSeconds(10), null);
            List<String> run = new ArrayList<>(List.of("run", "--rm", "--name", PREFIX + "turn-pod", "--network=host",
                    "-v", volume("turn-pod-workspace") + ":/workspace", "-v", volume("turn-pod-home") + ":/home/agent",
                    "-v", files + ":/turn:ro", "-w", "/workspace"));
            run.addAll(POD_LIKE);
            Map<String, String> env = new LinkedHashMap<>(Map.of("HOME", "/home/agent", "TMPDIR", "/tmp",
                    "CLAUDE_CODE_TMPDIR", "/tmp", "DISABLE_AUTOUPDATER", "1", "DISABLE_TELEMETRY", "1",
                    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "ANTHROPIC_BASE_URL", api.baseUrl(),
                    "ANTHROPIC_API_KEY", "stand-in-key", "CLAUDE_CODE_MAX_RETRIES", "0"));
            env.forEach((k, v) -> run.addAll(List.of("-e", k + "=" + v)));
            run.addAll(List.of("--entrypoint", "sh", localImage("agent-task"),
                    "-c", "exec claude -p \"$@\" < /turn/input.jsonl", "claude", "--input-format", "stream-json",
                    "--output-format", "stream-json", "--verbose", "--include-partial-messages",
                    "--session-id", java.util.UUID.randomUUID().toString(), "--permission-mode", "bypassPermissions",
                    "--setting-sources", "", "--settings", settings, "--strict-mcp-config"));
            Podman.Result result = Podman.run(Duration.ofMinutes(2), run.toArray(String[]::new));
            assertEquals(0, result.exit(), result.output());
            String toolResult = result.output().lines().filter(l -> l.contains("\"tool_result\"")).findFirst()
                    .orElseThrow(() -> new AssertionError("the CLI ran no tool:\n" + result.output()));
            assertTrue(toolResult.contains("ANTHROPIC_BASE_URL") && toolResult.contains("HOME"), toolResult);
            for (String name : List.of("QUARKUS", "KAFKA", "MAINLOOP_", "KUBERNETES_SERVICE")) {
                assertFalse(toolResult.contains(name), name + " reached the turn's shell: " + toolResult);
            }
            assertTrue(result.output().lines().anyMatch(l -> l.contains("\"type\":\"result\"") && l.contains("\"is_error\":false")),
                    "the turn ended with a result:\n" + result.output());
            assertTrue(api.requests().getFirst().toString().contains("The owner's name is Ada."),
                    "the context file reached the model");
        }
    }

    /** The tool result of one Bash call the stand-in asks the CLI in the agent-task image to make. */
    private String bashThroughTheCli(StandInAnthropicApi api, String command, boolean sandbox) {
        List<String> run = new ArrayList<>(List.of("run", "--rm", "--name", PREFIX + "sandbox", "--network=host",
                "-v", volume("sandbox-home-" + sandbox) + ":/home/agent", "-v", volume("sandbox-workspace-" + sandbox) + ":/workspace"));
        run.addAll(POD_LIKE);
        for (var e : ClaudeCode.offlineEnvironment(work.resolve("unused-home"), api.baseUrl()).entrySet()) {
            if (!List.of("HOME", "TMPDIR", "CLAUDE_CODE_TMPDIR").contains(e.getKey())) {
                run.addAll(List.of("-e", e.getKey() + "=" + e.getValue()));
            }
        }
        run.addAll(List.of(localImage("agent-task"), "-p", "[[tool:Bash:" + command + "]]",
                "--output-format", "stream-json", "--verbose", "--permission-mode", "bypassPermissions",
                "--settings", "{\"sandbox\":{\"enabled\":" + sandbox + "}}"));
        Podman.Result result = Podman.run(Duration.ofMinutes(2), run.toArray(String[]::new));
        return result.output().lines().filter(l -> l.contains("\"tool_result\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no tool result from the CLI (exit " + result.exit() + "):\n"
                        + result.output()));
    }

    private void startService(String service, Map<String, String> env) {
        Path envFile = work.resolve(service + ".env");
        try {
            StringBuilder lines = new StringBuilder();
            env.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
            Files.writeString(envFile, lines);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", PREFIX + service, "--network=host",
                "--env-file", envFile.toString()));
        run.addAll(POD_LIKE);
        if (service.equals("agent-service")) {
            run.addAll(List.of("-v", volume("agent-home") + ":/home/agent", "-v", volume("agent-workspaces") + ":/data/workspaces"));
        }
        run.add(localImage(service));
        Podman.ok(run.toArray(String[]::new));
    }

    /** A fresh directory under target/ owned by 10001, for a volume (a pod's emptyDir or claim). */
    private String volume(String name) {
        Path dir = work.resolve("volumes").resolve(name);
        Podman.Result made = Podman.exec(List.of("sh", "-c", "rm -rf \"$0\" && mkdir -p \"$0\" && chown 10001:10001 \"$0\"",
                dir.toString()), Duration.ofSeconds(30), null);
        assertEquals(0, made.exit(), made.output());
        return dir.toString();
    }

    private void awaitHealth(String service, int port, String check, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + check))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException starting) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (!"true".equals(Podman.ok("inspect", "--format", "{{.State.Running}}", PREFIX + service))) {
                fail(service + "'s container exited during start-up:\n" + logs(service));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        fail(service + " not " + check + " after " + timeout.toSeconds() + " s (last: " + last + "):\n" + logs(service));
    }

    private static String logs(String service) {
        return Podman.run(Duration.ofSeconds(30), "logs", "--tail", "60", PREFIX + service).output();
    }

    private static String localImage(String name) {
        return "localhost/mainloop-" + name + ":" + VERSION;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
