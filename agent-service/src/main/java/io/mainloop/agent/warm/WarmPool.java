package io.mainloop.agent.warm;

import io.mainloop.agent.config.TurnsConfig;
import io.mainloop.agent.service.ClaudeCliCommand;
import io.mainloop.agent.service.TurnCli;
import io.mainloop.agent.service.TurnFiles;
import io.mainloop.agent.service.TurnProcess;
import io.mainloop.agent.service.Workspaces;
import io.mainloop.contracts.TurnRequested;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Warm turns: at most one CLI per thread started ahead of its next turn, with exactly the flags,
 * sandbox, environment, working directory and MCP configuration a cold start of that turn would
 * get, waiting on stdin ({@code --input-format stream-json}). A turn takes it ({@link #take}) when
 * its flags are the same (the model, MCP or sandbox settings unchanged): the waiting CLI's
 * directory becomes the turn's, and the turn's user message (context and new message) is written
 * to its stdin, which is then closed. The CLI runs that one turn in a session of its own and exits:
 * nothing of one turn reaches the next but the context memory-service assembles. After each turn
 * the thread's next CLI is started in the background ({@link #prepare}).
 *
 * <p>Bounded: {@code max-processes} waiting CLIs in all; one waiting longer than
 * {@code idle-timeout} is ended ({@link #reap}), as is every waiting CLI when the service stops
 * (one orphaned by a crash of agent-service reads end-of-file on stdin and exits by itself). Their
 * number and resident memory are gauges in {@code /q/metrics}
 * ({@code mainloop_agent_warm_processes}, {@code mainloop_agent_warm_resident_memory_bytes}), the
 * turns' starts a counter ({@code mainloop_agent_turn_starts_total{start="warm"|"cold"}}).
 * Stream-json input: {@code shared/reference/claude-code-headless.md}.
 */
@ApplicationScoped
public class WarmPool {

    private static final Logger LOG = Logger.getLogger(WarmPool.class);

    @Inject
    WarmConfig config;

    @Inject
    TurnsConfig turns;

    @Inject
    ClaudeCliCommand cli;

    @Inject
    Workspaces workspaces;

    @Inject
    MeterRegistry registry;

    private final Map<String, WarmProcess> waiting = new ConcurrentHashMap<>();
    private final Set<String> starting = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    void registerMeters(@Observes StartupEvent event) {
        Gauge.builder("mainloop.agent.warm.processes", waiting, Map::size)
                .description("CLIs started ahead of a turn, waiting for it").register(registry);
        Gauge.builder("mainloop.agent.warm.resident.memory", this, WarmPool::residentBytes).baseUnit("bytes")
                .description("Resident memory of the waiting CLIs and their child processes").register(registry);
    }

    /**
     * The thread's waiting CLI, given {@code turn} (its user message written to the CLI's stdin,
     * which is closed; its directory moved to {@code files}' directory), if it fits the turn; else
     * empty, and the waiting CLI (one that exited, or was started with other flags) is ended: the
     * turn starts cold.
     */
    public Optional<TurnCli> take(TurnRequested turn, TurnFiles files) {
        WarmProcess warm = waiting.remove(turn.threadId());
        if (warm == null) {
            cold("none");
            return Optional.empty();
        }
        if (!warm.process().isAlive()) {
            discard(warm, "it had exited");
            cold("exited");
            return Optional.empty();
        }
        try {
            List<String> wanted = cli.coldFlags(turn, warm.sessionId());
            if (!wanted.equals(warm.flags())) {
                discard(warm, "the turn needs other flags (its model, or the MCP or sandbox settings, changed)");
                cold("other-flags");
                return Optional.empty();
            }
            Files.delete(files.dir()); // made empty for the turn: the waiting CLI's directory takes its place
            Files.move(warm.dir(), files.dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            discard(warm, "it could not be handed the turn: " + e.getMessage());
            recreate(files);
            cold("failed");
            return Optional.empty();
        }
        String message = ClaudeCliCommand.userMessage(turn, false);
        try (OutputStream stdin = warm.process().getOutputStream()) {
            stdin.write(message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            TurnProcess.killGroup(warm.process().toHandle());
            LOG.infof("thread %s: the CLI started ahead of turn %s did not take it (%s); starting one for it",
                    turn.threadId(), turn.turnId(), e.getMessage());
            cold("failed");
            return Optional.empty();
        }
        try {
            Files.writeString(files.input(), message, StandardCharsets.UTF_8); // what it was given, as for a cold start
        } catch (IOException e) {
            LOG.debugf("turn %s: its input was not kept: %s", turn.turnId(), e.getMessage());
        }
        registry.counter("mainloop.agent.turn.starts", "start", "warm", "reason", "taken").increment();
        LOG.debugf("turn %s of thread %s runs on the CLI started ahead of it (pid %d)", turn.turnId(), turn.threadId(),
                warm.process().pid());
        return Optional.of(TurnProcess.started(warm.process(), warm.sessionId(), true));
    }

    private void cold(String reason) {
        Counter.builder("mainloop.agent.turn.starts").tags("start", "cold", "reason", reason)
                .description("Main-thread turns by how their CLI started").register(registry).increment();
    }

    private static void recreate(TurnFiles files) {
        try {
            Files.createDirectories(files.dir());
        } catch (IOException e) {
            LOG.debugf("turn directory %s: %s", files.dir(), e.getMessage());
        }
    }

    /**
     * Starts {@code threadId}'s next CLI in the background, unless warm turns are off, turns run in
     * pods, the thread has one (or one is starting), {@code max-processes} are waiting, or the CLI
     * or its sandbox is missing here.
     */
    public void prepare(String threadId) {
        if (!config.enabled() || turns.kubernetes() || stopped || waiting.containsKey(threadId)
                || !cli.isAvailable() || !cli.sandboxAvailable()) {
            return;
        }
        if (!starting.add(threadId)) {
            return;
        }
        if (waiting.size() + starting.size() > config.maxProcesses()) {
            starting.remove(threadId);
            LOG.debugf("thread %s: %d CLIs wait already; none started ahead of its next turn", threadId, waiting.size());
            return;
        }
        Thread.ofVirtual().name("warm-start").start(() -> {
            try {
                start(threadId);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("thread %s: no CLI could be started ahead of its next turn (%s); it starts cold", threadId,
                        e.getMessage());
            } finally {
                starting.remove(threadId);
            }
        });
    }

    private void start(String threadId) throws IOException {
        Path root = Files.createDirectories(workspaces.of(threadId).resolve(".mainloop").resolve("warm"));
        deleteLeftovers(root);
        UUID session = UUID.randomUUID();
        Path dir = Files.createDirectories(root.resolve(session.toString()));
        ClaudeCliCommand.Prepared prepared = cli.prepare(threadId, session, dir.resolve("output.jsonl"),
                dir.resolve("stderr.log"));
        Process process = prepared.builder().start();
        try {
            sendStartRequests(process);
        } catch (IOException e) {
            TurnProcess.killGroup(process.toHandle());
            throw e;
        }
        WarmProcess warm = new WarmProcess(threadId, session, process, dir, List.copyOf(prepared.flags()), Instant.now());
        WarmProcess previous = waiting.put(threadId, warm);
        if (previous != null) {
            discard(previous, "another was started");
        }
        if (stopped) {
            discard(warm, "agent-service is stopping");
            return;
        }
        LOG.debugf("thread %s: CLI started ahead of its next turn (pid %d)", threadId, process.pid());
    }

    /**
     * Sends the CLI two requests of the control protocol while it waits, one stream-json line each:
     * <ol>
     *   <li>{@code initialize} ({@link #INITIALIZE}), as the Claude Agent SDK does right after it
     *       starts the CLI (claude-agent-sdk-python, {@code _internal/query.py}): the CLI loads its
     *       commands, skills and plugins now instead of when the turn arrives (about 10-20 ms less from
     *       the turn's message to its request to the API);</li>
     *   <li>{@code get_context_usage} with {@code detail: "summary"} ({@link #CONTEXT_USAGE}): to count
     *       the context the CLI builds its system prompt and the tools' definitions (MCP tools
     *       included) from local estimates, without calling the API, and keeps them for the turn
     *       (21-36 ms less, p50 of 12-14 CLIs alternating with plain ones, the pinned CLI).</li>
     * </ol>
     * Their {@code control_response} lines go to the output file, where the turn's reader skips
     * them. stdin stays open for the turn.
     *
     * @throws IOException if the CLI's stdin is closed (it exited at once)
     */
    static void sendStartRequests(Process process) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((INITIALIZE + CONTEXT_USAGE).getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** The control protocol's {@code initialize} request, one stream-json line. */
    static final String INITIALIZE =
            "{\"type\":\"control_request\",\"request_id\":\"mainloop-warm-init\",\"request\":{\"subtype\":\"initialize\"}}\n";

    /** The control protocol's {@code get_context_usage} request from local estimates, one stream-json line. */
    static final String CONTEXT_USAGE = "{\"type\":\"control_request\",\"request_id\":\"mainloop-warm-context\","
            + "\"request\":{\"subtype\":\"get_context_usage\",\"detail\":\"summary\"}}\n";

    /** Directories of CLIs that no longer wait (an earlier run of this service, an ended CLI). */
    private void deleteLeftovers(Path root) {
        Set<Path> live = ConcurrentHashMap.newKeySet();
        waiting.values().forEach(w -> live.add(w.dir()));
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> !live.contains(d)).forEach(WarmPool::deleteTree);
        } catch (IOException e) {
            LOG.debugf("warm directory %s: %s", root, e.getMessage());
        }
    }

    /** Ends the waiting CLIs that exited or waited longer than {@code idle-timeout}. */
    @Scheduled(every = "${mainloop.agent.warm.check:15s}", delayed = "${mainloop.agent.warm.check:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        reap(Instant.now());
    }

    /**
     * Ends, as of {@code now}, the waiting CLIs that exited or waited longer than {@code idle-timeout}.
     *
     * @return how many were ended
     */
    public int reap(Instant now) {
        int ended = 0;
        for (WarmProcess warm : List.copyOf(waiting.values())) {
            if (!warm.process().isAlive()) {
                discard(warm, "it had exited");
                ended++;
            } else if (warm.startedAt().plus(config.idleTimeout()).isBefore(now)) {
                discard(warm, "it waited longer than " + config.idleTimeout().toSeconds() + " s");
                ended++;
            }
        }
        return ended;
    }

    /** Whether a CLI waits for {@code threadId}'s next turn. */
    public boolean isWaiting(String threadId) {
        WarmProcess warm = waiting.get(threadId);
        return warm != null && warm.process().isAlive();
    }

    /** The pid of the CLI waiting for {@code threadId}'s next turn, if any. */
    public Optional<Long> waitingPid(String threadId) {
        return Optional.ofNullable(waiting.get(threadId)).map(w -> w.process().pid());
    }

    private void discard(WarmProcess warm, String why) {
        waiting.remove(warm.threadId(), warm);
        TurnProcess.killGroup(warm.process().toHandle());
        try {
            warm.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS); // gone (and reaped) before this returns
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(warm.dir());
        LOG.infof("thread %s: ended the CLI started ahead of its next turn (pid %d): %s", warm.threadId(),
                warm.process().pid(), why);
    }

    /** Resident memory (VmRSS) of the waiting CLIs and their descendants, bytes. */
    double residentBytes() {
        long total = 0;
        for (WarmProcess warm : waiting.values()) {
            ProcessHandle handle = warm.process().toHandle();
            total += rss(handle.pid());
            for (ProcessHandle child : handle.descendants().toList()) {
                total += rss(child.pid());
            }
        }
        return total;
    }

    private static long rss(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0; // gone meanwhile
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", dir, e.getMessage());
        }
    }

    /** Ends every waiting CLI: none is left behind by this service. */
    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        List.copyOf(waiting.values()).forEach(w -> discard(w, "agent-service is stopping"));
    }
}
