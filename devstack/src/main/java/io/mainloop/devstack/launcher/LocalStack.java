package io.mainloop.devstack.launcher;

import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.kafka.KafkaBroker;
import io.mainloop.devstack.postgres.DevPostgres;
import io.mainloop.devstack.process.LeftoverProcesses;
import io.mainloop.devstack.process.ResidentMemory;
import io.mainloop.devstack.standin.StandInAnthropicApi;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The whole local system: PostgreSQL, Kafka, (in demo mode) the stand-in Anthropic API, and the
 * four services as production jars in child JVMs, wired together (agent-service's CLI reaches
 * memory-service's and scheduler-service's MCP tools with a secret shared through
 * {@code <data dir>/mcp.secret}). Used by {@code ./mainloop up}
 * and by the end-to-end tests, which also stop, kill and restart single services.
 * {@link #close()} stops the services in parallel, then the infrastructure.
 */
public final class LocalStack implements AutoCloseable {

    /** The internal API token's file in the data directory. */
    public static final String INTERNAL_API_TOKEN_FILE = "internal-api.token";

    /** Module names, in port order; the gateway takes {@link StackSettings#gatewayPort()}. */
    public static final List<String> SERVICES = List.of("gateway-service", "memory-service", "agent-service",
            "scheduler-service");

    private static final int SERVICE_HEAP_MB = 192;
    private static final int KAFKA_HEAP_MB = 384;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Runs each start and stop of the stack's parts on a thread of its own, all at once: the
     * default async pool may run them a few at a time (in a test JVM the four services started two
     * by two and stopped one by one, 20 s more).
     */
    private static final java.util.concurrent.Executor EACH_ON_ITS_OWN =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("stack-", 0).factory());

    private final StackSettings settings;
    private final PrintStream out;
    private final List<AutoCloseable> infrastructure = new ArrayList<>();
    private final List<Long> infrastructurePids = new ArrayList<>();
    private final Map<String, Map<String, String>> serviceEnv = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private String ownerToken;
    private String internalApiToken;
    private StandInAnthropicApi standIn;
    private String bootstrapServers;
    private String jdbcUrl;
    private DevPostgres postgres;
    private KafkaBroker broker;

    private LocalStack(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Starts everything and returns once every service is ready (its {@code /q/health/ready} is UP).
     *
     * @param out progress messages
     * @throws IllegalStateException naming the port and its service if a service's port is taken
     *     (checked before anything starts)
     * @throws Exception if a part does not start; what did start is stopped again
     */
    public static LocalStack start(StackSettings settings, PrintStream out) throws Exception {
        LocalStack stack = new LocalStack(settings, out);
        Map<String, Integer> ports = new LinkedHashMap<>();
        SERVICES.forEach(module -> ports.put(module, stack.port(module)));
        PortCheck.requireFree(ports);
        try {
            stack.startAll();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path data = settings.dataDir();
        Files.createDirectories(logDir());
        // logging set up here, before the parts start at once: where JBoss LogManager is on the classpath
        // (the launcher's), three threads setting it up at once deadlocked. Through System.getLogger, so
        // that its LoggerFinder makes JBoss LogManager the java.util.logging manager before JUL starts
        // (JUL set up first, it prints "ERROR: The LogManager accessed before ..." on every start)
        System.getLogger(LocalStack.class.getName());
        var claude = CompletableFuture.supplyAsync(() -> {
            try {
                return ClaudeCode.ensureInstalled();
            } catch (IOException e) {
                out.println("mainloop: Claude Code CLI not available (" + e.getMessage()
                        + "); turns will fail with an explanation");
                return null;
            }
        }, EACH_ON_ITS_OWN);
        var postgres = CompletableFuture.supplyAsync(() -> io(() -> DevPostgres.start(data.resolve("postgres"), 0)),
                EACH_ON_ITS_OWN);
        var kafka = CompletableFuture.supplyAsync(() -> io(() -> KafkaBroker.start(data.resolve("kafka"), 0,
                KAFKA_HEAP_MB, null)), EACH_ON_ITS_OWN);
        DevPostgres pg = infra(postgres.join());
        this.postgres = pg;
        readPostmasterPid(data.resolve("postgres")).ifPresent(infrastructurePids::add);
        KafkaBroker broker = infra(kafka.join());
        this.broker = broker;
        infrastructurePids.add(broker.pid());
        bootstrapServers = broker.bootstrapServers();
        jdbcUrl = pg.jdbcUrl();
        out.printf("mainloop: PostgreSQL on :%d, Kafka on %s%n", pg.port(), bootstrapServers);

        ownerToken = OwnerToken.ensure(data, System.getenv("MAINLOOP_OWNER_TOKEN"));
        String mcpSecret = McpSecret.ensure(data);
        internalApiToken = io.mainloop.devstack.secrets.SecretFile.readOrCreate(data.resolve(INTERNAL_API_TOKEN_FILE),
                java.util.Base64.getUrlEncoder().withoutPadding()::encodeToString);
        Map<String, String> common = new HashMap<>();
        common.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        common.put("QUARKUS_DATASOURCE_USERNAME", DevPostgres.USER);
        common.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        common.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        common.put("MAINLOOP_DATA_DIR", data.toString());

        for (String module : SERVICES) {
            serviceEnv.put(module, new HashMap<>(common));
        }
        // memory-service's REST API (history) has no authentication of its own: only the gateway, on
        // this machine, may reach it, so it listens on loopback whatever the others do
        serviceEnv.get("memory-service").put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // the same for agent-service's task API (its MCP tools check a token of their own)
        serviceEnv.get("agent-service").put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // and for scheduler-service's schedule API (reached through the gateway)
        serviceEnv.get("scheduler-service").put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // their internal APIs (/api) answer only calls with the gateway's token (sub-agents may reach /mcp, not /api)
        for (String module : List.of("memory-service", "agent-service", "scheduler-service")) {
            serviceEnv.get(module).put("MAINLOOP_INTERNAL_API_TOKEN", internalApiToken);
        }
        // memory-service's and scheduler-service's MCP tools (/mcp) accept a thread's token signed with the shared secret
        serviceEnv.get("memory-service").put("MAINLOOP_MEMORY_MCP_SECRET", mcpSecret);
        serviceEnv.get("scheduler-service").put("MAINLOOP_SCHEDULER_MCP_SECRET", mcpSecret);
        Map<String, String> gateway = serviceEnv.get("gateway-service");
        gateway.putAll(settings.gatewayEnvironment()); // never in place of the tokens below
        gateway.put("MAINLOOP_GATEWAY_OWNER_TOKEN", ownerToken);
        gateway.put("MAINLOOP_GATEWAY_INTERNAL_API_TOKEN", internalApiToken);
        gateway.put("QUARKUS_REST_CLIENT_MEMORY_URL", "http://127.0.0.1:" + port("memory-service"));
        gateway.put("QUARKUS_REST_CLIENT_AGENT_URL", "http://127.0.0.1:" + port("agent-service"));
        gateway.put("QUARKUS_REST_CLIENT_SCHEDULER_URL", "http://127.0.0.1:" + port("scheduler-service"));

        Map<String, String> agent = serviceEnv.get("agent-service");
        Path claudeBin = claude.join();
        if (claudeBin != null) {
            agent.put("MAINLOOP_AGENT_CLAUDE_PATH", claudeBin.toString());
        }
        agent.put("MAINLOOP_AGENT_WORKSPACE_DIR", data.resolve("workspaces").toAbsolutePath().toString());
        // the assistant may read nothing else of the data directory (owner token, PostgreSQL, Kafka, logs)
        agent.put("MAINLOOP_AGENT_SANDBOX_DATA_DIR", data.toAbsolutePath().toString());
        // the main thread's CLI gets memory-service's MCP tools, with a token for its own thread
        agent.put("MAINLOOP_AGENT_MEMORY_MCP_URL", "http://127.0.0.1:" + port("memory-service") + "/mcp");
        agent.put("MAINLOOP_AGENT_MEMORY_MCP_SECRET", mcpSecret);
        // and scheduler-service's (schedule, list_schedules, cancel_schedule), signed with the same secret
        agent.put("MAINLOOP_AGENT_SCHEDULER_MCP_URL", "http://127.0.0.1:" + port("scheduler-service") + "/mcp");
        if (settings.demo()) {
            standIn = infra(StandInAnthropicApi.start(0));
            agent.put("ANTHROPIC_BASE_URL", standIn.baseUrl());
            agent.put("ANTHROPIC_API_KEY", "demo-stand-in");
            agent.put("CLAUDE_CODE_OAUTH_TOKEN", "");
            agent.put("MAINLOOP_AGENT_DEMO", "true");
            agent.put("CLAUDE_CODE_MAX_RETRIES", "0"); // a scripted API error fails at once
        }

        CompletableFuture.allOf(SERVICES.stream()
                .map(module -> CompletableFuture.runAsync(() -> startService(module), EACH_ON_ITS_OWN))
                .toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Starts (or restarts) one service and waits until it is ready.
     *
     * @throws IllegalStateException if it is running already, exits, or is not ready in 120 s
     */
    public void startService(String module) {
        synchronized (services) {
            ServiceProcess current = services.get(module);
            if (current != null && current.isAlive()) {
                throw new IllegalStateException(module + " is running");
            }
        }
        ServiceProcess service;
        try {
            service = ServiceProcess.start(settings.projectRoot(), module, port(module), serviceEnv.get(module),
                    SERVICE_HEAP_MB, logDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (services) {
            services.put(module, service);
        }
        service.awaitReady(READY_TIMEOUT);
    }

    /** Stops PostgreSQL (fast shutdown): every connection is refused until {@link #startPostgres()}. */
    public synchronized void stopPostgres() throws IOException {
        infrastructure.remove(postgres);
        postgres.close();
    }

    /** Starts PostgreSQL again on the same port and data directory. */
    public synchronized void startPostgres() throws IOException {
        postgres = infra(DevPostgres.start(settings.dataDir().resolve("postgres"), postgres.port()));
    }

    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) every PostgreSQL process: the server and its backends
     * keep their sockets open but answer nothing, as a hung machine or a long GC-like stall would.
     * To freeze, the server is stopped first, so that it forks no backend meanwhile; its children
     * are then listed and stopped until a listing finds none not yet stopped (one forked just
     * before the server stopped). To thaw, the server and its children are continued at once.
     */
    public void signalPostgres(boolean freeze) throws IOException, InterruptedException {
        long pid = readPostmasterPid(settings.dataDir().resolve("postgres"))
                .orElseThrow(() -> new IOException("PostgreSQL is not running"));
        Set<Long> signalled = new HashSet<>();
        List<Long> next = new ArrayList<>(List.of(pid));
        if (!freeze) {
            next.addAll(children(pid, signalled));
        }
        while (!next.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("kill", freeze ? "-STOP" : "-CONT"));
            next.forEach(p -> command.add(Long.toString(p)));
            // a child that exited since it was listed makes kill complain; the others are still signalled
            new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            signalled.addAll(next);
            next = freeze ? children(pid, signalled) : List.of();
        }
    }

    /** The descendants of process {@code pid} not in {@code except}. */
    private static List<Long> children(long pid, Set<Long> except) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid)
                .filter(p -> !except.contains(p)).toList();
    }

    /** Stops the Kafka broker and starts it again on the same port and data directory. */
    public synchronized void restartKafka() throws IOException {
        infrastructure.remove(broker);
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        broker.close();
        broker = infra(KafkaBroker.start(settings.dataDir().resolve("kafka"), port, KAFKA_HEAP_MB, null));
    }

    /**
     * Starts a second replica of {@code module} (same settings, another port, its own log
     * {@code logs/<module>-replica/}) and waits until it is ready; closing it stops it, and
     * {@link #close()} stops it too.
     *
     * @return the replica (its {@link ServiceProcess#port()})
     * @throws IllegalStateException if it exits or is not ready in 120 s
     */
    public ServiceProcess startReplica(String module) {
        int port = io.mainloop.devstack.process.FreePorts.next();
        Path replicaLogs = logDir().resolve(module + "-replica");
        ServiceProcess replica;
        try {
            Files.createDirectories(replicaLogs);
            replica = ServiceProcess.start(settings.projectRoot(), module, port, serviceEnv.get(module), SERVICE_HEAP_MB,
                    replicaLogs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (services) {
            services.put(module + "#replica-" + port, replica);
        }
        replica.awaitReady(READY_TIMEOUT);
        return replica;
    }

    /** Stops one service gracefully (SIGTERM, as Kubernetes or Ctrl-C would). */
    public void stopService(String module) {
        service(module).close();
    }

    /** Kills one service with SIGKILL ({@code kill -9}): no shutdown hook, no commit, no goodbye. */
    public void killService(String module) {
        service(module).kill();
    }

    private ServiceProcess service(String module) {
        synchronized (services) {
            ServiceProcess service = services.get(module);
            if (service == null) {
                throw new IllegalArgumentException("unknown service " + module);
            }
            return service;
        }
    }

    /** The HTTP port of {@code module}: the gateway's port plus the module's index in {@link #SERVICES}. */
    public int port(String module) {
        int index = SERVICES.indexOf(module);
        if (index < 0) {
            throw new IllegalArgumentException("unknown service " + module);
        }
        return settings.gatewayPort() + index;
    }

    /** The gateway's base URL, e.g. {@code http://localhost:8080}. */
    public String gatewayUrl() {
        return "http://localhost:" + settings.gatewayPort();
    }

    /** The owner token the gateway accepts. */
    public String ownerToken() {
        return ownerToken;
    }

    /**
     * The token memory-, agent- and scheduler-service require on {@code /api} (kept in
     * {@code <data dir>/internal-api.token}, mode 600); tests calling them directly send it as a bearer token.
     */
    public String internalApiToken() {
        return internalApiToken;
    }

    /** Kafka's bootstrap servers ({@code host:port}). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The JDBC URL of the database all services use (each in its own schema). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database superuser's password (for tests that read or seed a service's schema). */
    public String jdbcPassword() {
        return postgres.password();
    }

    /** The stand-in Anthropic API, in demo mode. */
    public Optional<StandInAnthropicApi> standIn() {
        return Optional.ofNullable(standIn);
    }

    /** The data directory (PostgreSQL, Kafka, owner token, logs, workspaces). */
    public Path dataDir() {
        return settings.dataDir();
    }

    /** The services' log directory ({@code <data dir>/logs}). */
    public Path logDir() {
        return settings.dataDir().resolve("logs");
    }

    /** Running services, in port order. */
    public List<ServiceProcess> services() {
        synchronized (services) {
            return List.copyOf(services.values());
        }
    }

    /** Resident memory of every process of the stack, KiB. */
    public long residentKib() {
        List<Long> pids = new ArrayList<>(infrastructurePids);
        services().forEach(s -> pids.add(s.pid()));
        return ResidentMemory.treeKib(pids);
    }

    /** Stops the services in parallel (each SIGTERM, SIGKILL after 15 s), then the infrastructure, newest first. */
    @Override
    public void close() {
        CompletableFuture.allOf(services().stream()
                .map(s -> CompletableFuture.runAsync(s::close, EACH_ON_ITS_OWN))
                .toArray(CompletableFuture[]::new)).join();
        synchronized (services) {
            services.clear();
        }
        // the assistant's CLIs outlive agent-service by design (it re-attaches after a restart); not the stack
        LeftoverProcesses.killUnder(settings.dataDir().resolve("workspaces"));
        try {
            signalPostgres(false); // a server left frozen (a fault test) could not stop
        } catch (IOException | InterruptedException | RuntimeException e) {
            // not running: nothing to thaw
        }
        for (int i = infrastructure.size() - 1; i >= 0; i--) {
            try {
                infrastructure.get(i).close();
            } catch (Exception e) {
                out.println("mainloop: while stopping: " + e.getMessage());
            }
        }
        infrastructure.clear();
    }

    private synchronized <T extends AutoCloseable> T infra(T resource) {
        infrastructure.add(resource);
        return resource;
    }

    private static Optional<Long> readPostmasterPid(Path pgData) {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
