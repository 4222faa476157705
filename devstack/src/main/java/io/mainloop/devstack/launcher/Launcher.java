package io.mainloop.devstack.launcher;

import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.kafka.KafkaBroker;
import io.mainloop.devstack.postgres.DevPostgres;
import io.mainloop.devstack.process.ResidentMemory;
import io.mainloop.devstack.standin.StandInAnthropicApi;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./mainloop up [--demo]}: starts PostgreSQL, Kafka and the four services as production
 * jars, wires them, waits until every service is ready, prints the URL, and on Ctrl-C stops
 * everything in reverse order. Nothing survives a {@code kill -9} of this JVM either (every
 * child is guarded). With {@code --demo} the real Claude Code CLI talks to the stand-in API.
 */
public final class Launcher {

    /** Module names, in start order; the gateway is first and takes MAINLOOP_PORT. */
    static final List<String> SERVICES = List.of("gateway-service", "memory-service", "agent-service",
            "scheduler-service");

    private static final int SERVICE_HEAP_MB = 192;
    private static final int KAFKA_HEAP_MB = 384;

    private final StackSettings settings;
    private final PrintStream out;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    Launcher(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        List<String> argList = List.of(args);
        if (argList.isEmpty() || !"up".equals(argList.get(0)) || argList.stream().skip(1).anyMatch(a -> !"--demo".equals(a))) {
            System.err.println("usage: ./mainloop up [--demo]");
            System.exit(2);
        }
        StackSettings settings;
        try {
            settings = StackSettings.from(ClaudeCode.projectRoot(), System.getenv(), argList.contains("--demo"));
        } catch (IllegalArgumentException e) {
            System.err.println("mainloop: " + e.getMessage());
            System.exit(2);
            return;
        }
        Launcher launcher = new Launcher(settings, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.stop();
            stopped.countDown();
        }, "mainloop-stop"));
        try {
            launcher.up();
        } catch (Exception e) {
            System.err.println("mainloop: start-up failed: " + e.getMessage());
            System.err.println("logs: " + settings.dataDir().resolve("logs"));
            System.exit(1);
        }
        stopped.await();
    }

    /** Starts the stack and returns once every service is ready. */
    void up() throws Exception {
        long start = System.nanoTime();
        Path data = settings.dataDir();
        Path logs = data.resolve("logs");
        Files.createDirectories(logs);
        out.println("mainloop: data in " + data);
        if (settings.demo()) {
            out.println();
            out.println("  DEMO MODE: the real Claude Code CLI talks to a local stand-in of the Anthropic API.");
            out.println("  Replies are canned echoes, not Claude. Run without --demo to use your Claude credentials.");
            out.println();
        }

        var claude = CompletableFuture.supplyAsync(() -> {
            try {
                return ClaudeCode.ensureInstalled();
            } catch (IOException e) {
                out.println("mainloop: Claude Code CLI not available (" + e.getMessage()
                        + "); turns will fail with an explanation");
                return null;
            }
        });
        var postgres = CompletableFuture.supplyAsync(() -> call(() -> DevPostgres.start(data.resolve("postgres"), 0)));
        var kafka = CompletableFuture.supplyAsync(() -> call(() -> KafkaBroker.start(data.resolve("kafka"), 0,
                KAFKA_HEAP_MB, null)));
        DevPostgres pg = track(postgres.join());
        readPostmasterPid(data.resolve("postgres")).ifPresent(pids::add);
        KafkaBroker broker = track(kafka.join());
        pids.add(broker.pid());
        out.printf("mainloop: PostgreSQL on :%d, Kafka on %s%n", pg.port(), broker.bootstrapServers());

        String ownerToken = OwnerToken.ensure(data, System.getenv("MAINLOOP_OWNER_TOKEN"));
        Map<String, String> common = new HashMap<>();
        common.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        common.put("QUARKUS_DATASOURCE_USERNAME", DevPostgres.USER);
        common.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        common.put("MAINLOOP_DATA_DIR", data.toString());

        Map<String, String> agentEnv = new HashMap<>(common);
        Path claudeBin = claude.join();
        if (claudeBin != null) {
            agentEnv.put("MAINLOOP_AGENT_CLAUDE_PATH", claudeBin.toString());
        }
        agentEnv.put("MAINLOOP_AGENT_WORKSPACE_DIR", data.resolve("workspaces").toString());
        if (settings.demo()) {
            StandInAnthropicApi api = track(StandInAnthropicApi.start(0));
            agentEnv.put("ANTHROPIC_BASE_URL", api.baseUrl());
            agentEnv.put("ANTHROPIC_API_KEY", "demo-stand-in");
            agentEnv.put("CLAUDE_CODE_OAUTH_TOKEN", "");
            agentEnv.put("MAINLOOP_AGENT_DEMO", "true");
        }

        List<ServiceProcess> services = new ArrayList<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            String module = SERVICES.get(i);
            Map<String, String> env = new HashMap<>(module.equals("agent-service") ? agentEnv : common);
            if (module.equals("gateway-service")) {
                env.put("MAINLOOP_GATEWAY_OWNER_TOKEN", ownerToken);
                env.put("QUARKUS_REST_CLIENT_MEMORY_URL", "http://127.0.0.1:" + (settings.gatewayPort() + 1));
            }
            ServiceProcess service = track(ServiceProcess.start(settings.projectRoot(), module,
                    settings.gatewayPort() + i, env, SERVICE_HEAP_MB, logs));
            services.add(service);
            pids.add(service.pid());
        }
        CompletableFuture.allOf(services.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.awaitReady(Duration.ofSeconds(120))))
                .toArray(CompletableFuture[]::new)).join();

        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("mainloop: all %d services ready in %.1f s; resident memory of the stack %d MiB%n",
                services.size(), seconds, ResidentMemory.treeKib(pids) / 1024);
        services.forEach(s -> out.printf("  %-18s http://localhost:%d  (pid %d)%n", s.name(), s.port(), s.pid()));
        out.println();
        out.println("  mainloop is up: http://localhost:" + settings.gatewayPort());
        out.println("  owner token: " + ownerToken + "   (also in " + data.resolve(OwnerToken.FILE) + ")");
        out.println("  logs: " + logs + "    stop: Ctrl-C");
    }

    /** Stops what was started, newest first. */
    void stop() {
        if (running.isEmpty()) {
            return;
        }
        out.println("mainloop: stopping");
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                out.println("mainloop: while stopping: " + e.getMessage());
            }
        }
        running.clear();
        out.println("mainloop: stopped");
    }

    private synchronized <T extends AutoCloseable> T track(T resource) {
        running.add(resource);
        return resource;
    }

    private static java.util.Optional<Long> readPostmasterPid(Path pgData) {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T call(IoCall<T> io) {
        try {
            return io.call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
