package io.mainloop.agent.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.service.ClaudeCliCommand;
import io.mainloop.agent.service.OutputTail;
import io.mainloop.agent.service.SandboxSettings;
import io.mainloop.agent.service.SecretRedactor;
import io.mainloop.agent.service.StderrTail;
import io.mainloop.agent.service.TurnProcess;
import io.mainloop.agent.service.Workspaces;
import io.mainloop.agent.task.SubAgentInstructions;
import io.mainloop.agent.task.TaskEntity;
import io.mainloop.agent.task.TaskStatusSink;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs sub-agent tasks as local Claude Code processes (the embedded default,
 * {@code mainloop.agent.tasks.mode=local}): each in its own workspace beside the threads'
 * ({@code task-<id>}), sandboxed like the main thread's CLI (it cannot read the threads'
 * workspaces nor the data directory), with {@code --max-turns}, {@code --max-budget-usd} and the
 * task's model, its output appended to a file it keeps writing if agent-service dies. Its
 * deadline kills its process group; cancel kills it too; so does a shutdown of agent-service,
 * after which the restarted service resumes the task's session. A crash leaves the CLI running
 * and the restarted service follows it again.
 */
@ApplicationScoped
@LookupIfProperty(name = "mainloop.agent.tasks.mode", stringValue = "local", lookupIfMissing = true)
public class LocalTaskLauncher implements TaskLauncher {

    private static final Logger LOG = Logger.getLogger(LocalTaskLauncher.class);

    static final String RESUME_PROMPT = "Your previous run of this task was interrupted (agent-service restarted). "
            + "Continue where you left off; do not repeat what is done.";

    @Inject
    ClaudeCliCommand cli;

    @Inject
    Workspaces workspaces;

    @Inject
    SandboxSettings sandbox;

    @Inject
    AgentConfig config;

    @Inject
    TaskStatusSink sink;

    @Inject
    io.mainloop.agent.service.OwnEndpoint ownEndpoint;

    @Inject
    ObjectMapper json;

    private final Map<UUID, TurnProcess> running = new ConcurrentHashMap<>();
    private final ExecutorService runners = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-", 0).factory());
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().daemon().name("task-deadlines").factory());
    private volatile boolean stopping;

    /** {@link #sink}, repeating a report until it is recorded (the follower threads' reports). */
    private TaskStatusSink reports;

    @jakarta.annotation.PostConstruct
    void init() {
        reports = new RetryingSink(sink, () -> stopping);
    }

    /** What a run needs of its task (the entity is not used off its transaction). */
    private record Run(UUID id, int attempt, UUID sessionId, String prompt, String answer, String model, int maxTurns,
                       BigDecimal maxBudgetUsd, long deadlineSeconds, String workdir, String repositoryUrl,
                       String repositoryBranch) {
        static Run of(TaskEntity t) {
            return new Run(t.id, t.attempt, t.sessionId, t.prompt, t.answer, t.model, t.maxTurns, t.maxBudgetUsd,
                    t.deadlineSeconds, t.workdir, t.repositoryUrl, t.repositoryBranch);
        }
    }

    @Override
    public void start(TaskEntity task) {
        Run run = Run.of(task);
        runners.submit(() -> {
            awaitEarlierRun(run.id());
            launch(run, run.answer() != null ? SubAgentInstructions.answered(run.answer()) : null);
        });
    }

    /**
     * Waits until the task's earlier run has ended before the next one starts: an answer can come
     * while the CLI that asked is still finishing its turn, and the resumed session must start from
     * that turn's end (one CLI at a time writes a session and the task's output). One still alive
     * after a minute is killed.
     */
    private void awaitEarlierRun(UUID taskId) {
        TurnProcess earlier = running.get(taskId);
        if (earlier == null) {
            return;
        }
        try {
            earlier.awaitExit(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (earlier.isAlive()) {
            LOG.warnf("task %s: its earlier run did not end within a minute of the next one; stopping it", taskId);
            earlier.kill(TurnProcess.Ending.FAILED);
        }
    }

    @Override
    public void cancel(TaskEntity task) {
        TurnProcess process = running.get(task.id);
        if (process != null) {
            process.kill(TurnProcess.Ending.CANCELLED); // its follower reports Cancelled
            return;
        }
        if (task.pid != null && task.sessionId != null) {
            TurnProcess.find(task.pid, task.sessionId.toString()).ifPresent(TurnProcess::killGroup);
        }
        sink.finished(task.id, task.attempt, TaskPhase.Cancelled, null, "Cancelled.", Usage.NONE, null, 0);
    }

    @Override
    public void reattach(TaskEntity task) {
        Run run = Run.of(task);
        runners.submit(() -> {
            try {
                TaskWorkspace files = TaskWorkspace.of(workspaces.of(TaskWorkspace.name(run.id())));
                Optional<ProcessHandle> live = task.pid == null ? Optional.empty()
                        : TurnProcess.find(task.pid, run.sessionId().toString());
                if (live.isEmpty()) {
                    // agent-service died between starting the CLI and recording its pid: find it by its session
                    live = TurnProcess.findBySession(run.sessionId().toString());
                }
                if (live.isPresent()) {
                    LOG.infof("task %s: re-attached to its running CLI (pid %d)", run.id(), live.get().pid());
                    follow(run, TurnProcess.attached(live.get()), files, System.nanoTime());
                } else if (lastResult(files.output(), run.attempt()).isPresent()) {
                    report(run, null, files, lastResult(files.output(), run.attempt()).get(), 0);
                } else {
                    LOG.infof("task %s: its CLI is gone; resuming its session", run.id());
                    launch(run, RESUME_PROMPT);
                }
            } catch (IOException | RuntimeException e) {
                reports.finished(run.id(), run.attempt(), TaskPhase.Failed, null,
                        "It could not be picked up after a restart: " + e.getMessage(), Usage.NONE, null, 0);
            }
        });
    }

    /** Runs the task's CLI once (a first run, or {@code resumePrompt} into its session) and reports how it ended. */
    private void launch(Run run, String resumePrompt) {
        long start = System.nanoTime();
        try {
            Path workspace = workspaces.of(TaskWorkspace.name(run.id()));
            TaskWorkspace files = TaskWorkspace.of(workspace);
            Path cwd = workspace;
            if (run.repositoryUrl() != null) {
                cwd = cloneOnce(run, workspace, files);
            }
            if (run.workdir() != null) {
                cwd = Files.createDirectories(cwd.resolve(run.workdir()).normalize());
                if (!cwd.startsWith(workspace)) {
                    throw new IOException("workdir leaves the workspace");
                }
            }
            // resumed only if its session exists: agent-service may have died after the task was claimed
            // and before its CLI started (or the CLI before it made its session), and the CLI refuses to
            // resume a session it never made ("No conversation found"): such a task starts from the beginning
            boolean resume = resumePrompt != null && sessionExists(workspace, run.sessionId());
            Files.writeString(files.prompt(), resume ? resumePrompt : run.prompt(), StandardCharsets.UTF_8);
            Files.writeString(files.instructions(), SubAgentInstructions.TEXT, StandardCharsets.UTF_8);
            Files.writeString(files.output(), "{\"mainloop\":\"attempt\",\"attempt\":" + run.attempt() + "}\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> flags = new ArrayList<>(List.of("--output-format", "stream-json", "--verbose",
                    resume ? "--resume" : "--session-id", run.sessionId().toString(),
                    "--permission-mode", config.permissionMode(),
                    "--append-system-prompt-file", files.instructions().toString(),
                    "--setting-sources", "",
                    "--settings", sandbox.forWorkspace(workspace),
                    "--max-turns", Integer.toString(run.maxTurns()),
                    "--max-budget-usd", run.maxBudgetUsd().toPlainString()));
            String model = run.model() != null ? run.model() : config.model().orElse(null);
            if (model != null) {
                flags.addAll(List.of("--model", model));
            }
            flags.addAll(mcpFlags(run, files));
            ProcessBuilder builder = cli.headless(TaskWorkspace.name(run.id()), cwd, flags)
                    .redirectInput(files.prompt().toFile())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(files.output().toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(files.stderr().toFile()));
            if (!cli.isAvailable()) {
                reports.finished(run.id(), run.attempt(), TaskPhase.Failed, null, "The Claude Code CLI was not found ("
                        + cli.executable() + ").", Usage.NONE, null, 0);
                return;
            }
            TurnProcess process = TurnProcess.started(builder.start());
            reports.started(run.id(), run.attempt(), process.pid());
            follow(run, process, files, start);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "task %s could not run", run.id());
            reports.finished(run.id(), run.attempt(), TaskPhase.Failed, null, SecretRedactor.redact(
                    "It could not run: " + e.getMessage()), Usage.NONE, null, elapsedMs(start));
        }
    }

    /**
     * Whether Claude Code keeps a transcript of {@code session} under the task's home
     * ({@code <workspace>/.home/.claude/projects/<project>/<session>.jsonl}): what {@code --resume} needs.
     */
    static boolean sessionExists(Path workspace, java.util.UUID session) throws IOException {
        Path projects = workspace.resolve(".home").resolve(".claude").resolve("projects");
        if (!Files.isDirectory(projects)) {
            return false;
        }
        try (java.util.stream.Stream<Path> found = Files.find(projects, 2,
                (path, attributes) -> path.getFileName().toString().equals(session + ".jsonl"))) {
            return found.findAny().isPresent();
        }
    }

    private List<String> mcpFlags(Run run, TaskWorkspace files) throws IOException {
        Optional<String> secret = config.memoryMcp().secret().filter(s -> !s.isBlank());
        if (secret.isEmpty()) {
            return List.of("--strict-mcp-config");
        }
        return ClaudeCliCommand.mcpConfig(Map.of("tasks", ownEndpoint.tasksMcpUrl()), secret.get(),
                "task:" + run.id(), files.mcpConfig());
    }

    /** Clones the task's repository into {@code <workspace>/repo} on its first run; returns that directory. */
    private Path cloneOnce(Run run, Path workspace, TaskWorkspace files) throws IOException {
        Path repo = workspace.resolve("repo");
        if (Files.isDirectory(repo.resolve(".git"))) {
            return repo;
        }
        List<String> command = new ArrayList<>(List.of("git", "clone", "--depth", "1"));
        if (run.repositoryBranch() != null) {
            command.addAll(List.of("--branch", run.repositoryBranch()));
        }
        command.addAll(List.of("--", run.repositoryUrl(), repo.toString()));
        Process git = new ProcessBuilder(command).directory(workspace.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(files.stderr().toFile()))
                .start();
        try {
            if (!git.waitFor(5, TimeUnit.MINUTES) || git.exitValue() != 0) {
                git.destroyForcibly();
                throw new IOException("git clone of " + run.repositoryUrl() + " failed: " + StderrTail.of(files.stderr()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while cloning");
        }
        return repo;
    }

    /** Follows a running CLI to its end, enforcing the deadline, and reports the outcome. */
    private void follow(Run run, TurnProcess process, TaskWorkspace files, long start) {
        running.put(run.id(), process);
        ScheduledFuture<?> deadline = timers.schedule(() -> process.kill(TurnProcess.Ending.TIMED_OUT),
                run.deadlineSeconds(), TimeUnit.SECONDS);
        JsonNode result = null;
        try (OutputTail tail = new OutputTail(files.output(), process::isAlive, () -> stopping)) {
            boolean inAttempt = false;
            String line;
            while ((line = tail.next()) != null) {
                if (line.startsWith("{\"mainloop\":\"attempt\"")) {
                    inAttempt = line.contains("\"attempt\":" + run.attempt() + "}");
                } else if (inAttempt && line.startsWith("{") && line.contains("\"type\":\"result\"")) {
                    result = json.readTree(line);
                    break; // its answer: a CLI that lingers after it is given 10 s, then stopped
                }
            }
            if (stopping) {
                return; // shutting down: the restarted service resumes the task
            }
            process.awaitExit(10_000);
            if (process.isAlive()) {
                ProcessHandle.of(process.pid()).ifPresent(TurnProcess::killGroup); // gone meanwhile: nothing to stop
            }
            report(run, process, files, result, elapsedMs(start));
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                process.kill(TurnProcess.Ending.FAILED);
                reports.finished(run.id(), run.attempt(), TaskPhase.Failed, null, "agent-service could not follow the task: "
                        + e.getMessage(), Usage.NONE, null, elapsedMs(start));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deadline.cancel(false);
            running.remove(run.id(), process); // not a later run's, which may have started meanwhile
        }
    }

    private void report(Run run, TurnProcess process, TaskWorkspace files, JsonNode result, long wallMs) {
        TurnProcess.Ending ending = process == null ? null : process.ending();
        Usage usage = result == null ? Usage.NONE : usage(result.path("usage"));
        BigDecimal cost = result == null || !result.path("total_cost_usd").isNumber() ? null
                : result.path("total_cost_usd").decimalValue();
        long durationMs = result != null && result.path("duration_ms").isNumber() ? result.path("duration_ms").asLong() : wallMs;
        if (ending == TurnProcess.Ending.CANCELLED) {
            reports.finished(run.id(), run.attempt(), TaskPhase.Cancelled, null, "Cancelled.", usage, cost, durationMs);
        } else if (ending == TurnProcess.Ending.TIMED_OUT) {
            reports.finished(run.id(), run.attempt(), TaskPhase.Failed, null, "It ran longer than its deadline ("
                    + run.deadlineSeconds() / 60 + " min) and was stopped.", usage, cost, durationMs);
        } else if (result == null) {
            String err = StderrTail.of(files.stderr());
            String how = process != null && process.exitCode().isPresent()
                    ? "exited with code " + process.exitCode().getAsInt() : "ended without a result";
            reports.finished(run.id(), run.attempt(), TaskPhase.Failed, null, SecretRedactor.redact("Claude Code " + how
                    + (err.isEmpty() ? "" : ": " + err)), usage, cost, durationMs);
        } else if (result.path("is_error").asBoolean(false)) {
            String subtype = result.path("subtype").asText("");
            String why = switch (subtype) {
                case "error_max_turns" -> "It used all its " + run.maxTurns() + " turns.";
                case "error_max_budget_usd" -> "It reached its cost cap of $" + run.maxBudgetUsd().toPlainString() + ".";
                default -> result.path("result").asText("Claude Code reported an error (" + subtype + ").");
            };
            reports.finished(run.id(), run.attempt(), TaskPhase.Failed, null, SecretRedactor.redact(why), usage, cost,
                    durationMs);
        } else {
            reports.finished(run.id(), run.attempt(), TaskPhase.Succeeded, result.path("result").asText(""), null, usage,
                    cost, durationMs);
        }
    }

    /** The result line of {@code attempt} in a task's output, if that run finished. */
    private Optional<JsonNode> lastResult(Path output, int attempt) {
        JsonNode result = null;
        boolean inAttempt = false;
        try {
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                if (line.startsWith("{\"mainloop\":\"attempt\"")) {
                    inAttempt = line.contains("\"attempt\":" + attempt + "}");
                } else if (inAttempt && line.startsWith("{") && line.contains("\"type\":\"result\"")) {
                    result = json.readTree(line);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(result);
    }

    private static Usage usage(JsonNode u) {
        return new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                u.path("cache_read_input_tokens").asLong(), u.path("cache_creation_input_tokens").asLong());
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Reads the task's output file ({@code workspaces/task-<id>/.mainloop/task/output.jsonl}, which
     * every run of the task appends to); {@code position} is a byte offset in it.
     */
    @Override
    public LogChunk readLog(UUID taskId, long position) throws IOException {
        Path output = TaskWorkspace.of(workspaces.of(TaskWorkspace.name(taskId))).output();
        if (!Files.exists(output)) {
            return new LogChunk(List.of(), position);
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(output.toFile(), "r")) {
            if (file.length() <= position) {
                return new LogChunk(List.of(), position);
            }
            file.seek(position);
            byte[] chunk = new byte[(int) Math.min(file.length() - position, 1 << 20)];
            file.readFully(chunk);
            int end = chunk.length;
            while (end > 0 && chunk[end - 1] != '\n') {
                end--; // a line still being written waits for its newline
            }
            String text = new String(chunk, 0, end, StandardCharsets.UTF_8);
            return new LogChunk(text.isEmpty() ? List.of() : List.of(text.split("\n")), position + end);
        }
    }

    /** Stops every task CLI this service runs (their tasks resume after the restart). */
    @PreDestroy
    void stop() {
        stopping = true;
        running.values().forEach(p -> p.kill(TurnProcess.Ending.FAILED));
        runners.shutdownNow();
        timers.shutdownNow();
    }
}
