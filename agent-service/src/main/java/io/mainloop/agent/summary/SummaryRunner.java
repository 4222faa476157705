package io.mainloop.agent.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.service.ClaudeCliCommand;
import io.mainloop.agent.service.SecretRedactor;
import io.mainloop.agent.service.StderrTail;
import io.mainloop.agent.service.StreamJsonMapper;
import io.mainloop.agent.service.TurnProcess;
import io.mainloop.agent.service.Workspaces;
import io.mainloop.contracts.AgentEvent.FailureReason;
import io.mainloop.contracts.SummaryRequested;
import io.mainloop.contracts.SummaryResult;
import io.mainloop.contracts.Usage;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes one summary with the Claude Code CLI: {@code setsid claude -p --output-format json
 * --tools "" --model <model> --max-budget-usd <cap> --system-prompt-file <instructions>
 * --no-session-persistence --setting-sources "" --strict-mcp-config --disable-slash-commands},
 * the material on stdin, run in {@code <workspace>/.mainloop/summaries/<summaryId>/} with the
 * same minimal environment as turns ({@link ClaudeCliCommand#headless}). No tool at all, no MCP
 * server, no settings, no session kept. After {@code mainloop.agent.summary-timeout} (default
 * 5 min) its process group is killed. Every outcome is an answer: {@code SummaryCompleted}, or
 * {@code SummaryFailed} with an {@link FailureReason} name and a message with token-shaped
 * strings removed.
 */
@ApplicationScoped
public class SummaryRunner {


    @Inject
    AgentConfig config;

    @Inject
    ClaudeCliCommand cli;

    @Inject
    Workspaces workspaces;

    @Inject
    ObjectMapper json;

    /** The summary CLIs running now, killed when this service stops. */
    private final Set<ProcessHandle> running = ConcurrentHashMap.newKeySet();

    /**
     * Runs the CLI once for {@code request} and returns its answer (not yet published).
     *
     * @throws InterruptedException if the thread is interrupted; the CLI is killed first
     */
    public SummaryResult run(SummaryRequested request) throws InterruptedException {
        long start = System.nanoTime();
        if (!cli.isAvailable()) {
            return failed(request, FailureReason.CLI_MISSING, "The Claude Code CLI was not found (" + cli.executable()
                    + "). ./mainloop up installs the pinned version; or set MAINLOOP_AGENT_CLAUDE_PATH to a claude "
                    + "executable.");
        }
        SummaryFiles files;
        ProcessBuilder builder;
        try {
            files = SummaryFiles.of(workspaces.of(request.threadId()), request.summaryId());
            Files.writeString(files.instructions(), orEmpty(request.instructions()), StandardCharsets.UTF_8);
            Files.writeString(files.material(), orEmpty(request.material()), StandardCharsets.UTF_8);
            Files.deleteIfExists(files.output());
            builder = cli.headless(request.threadId(), files.dir(), flags(request, files))
                    .redirectInput(files.material().toFile())
                    .redirectOutput(files.output().toFile())
                    .redirectError(files.stderr().toFile());
        } catch (IOException | RuntimeException e) {
            return failed(request, FailureReason.CLI_ERROR, "The summary's files could not be written: " + e.getMessage());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return failed(request, FailureReason.CLI_MISSING, "Claude Code could not be started: " + e.getMessage());
        }
        ProcessHandle handle = process.toHandle();
        running.add(handle);
        try {
            if (!process.waitFor(config.summaryTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                TurnProcess.killGroup(handle);
                return failed(request, FailureReason.TIMEOUT, "The summary took longer than "
                        + config.summaryTimeout().toSeconds() + " s and was stopped.");
            }
        } catch (InterruptedException e) {
            TurnProcess.killGroup(handle);
            throw e;
        } finally {
            running.remove(handle);
        }
        return outcome(request, process.exitValue(), files, (System.nanoTime() - start) / 1_000_000);
    }

    /** The CLI's flags for {@code request}: no tools, no MCP server, no settings, nothing kept. */
    static List<String> flags(SummaryRequested request, SummaryFiles files) {
        List<String> flags = new ArrayList<>(List.of(
                "--output-format", "json",
                "--tools", "",
                "--system-prompt-file", files.instructions().toString(),
                "--no-session-persistence",
                "--setting-sources", "",
                "--strict-mcp-config",
                "--disable-slash-commands"));
        if (request.model() != null && !request.model().isBlank()) {
            flags.addAll(List.of("--model", request.model()));
        }
        if (request.maxBudgetUsd() != null) {
            flags.addAll(List.of("--max-budget-usd", request.maxBudgetUsd().toPlainString()));
        }
        return flags;
    }

    /** Deletes the files of {@code request}'s summary (after its answer is out). */
    public void cleanUp(SummaryRequested request) {
        try {
            Path dir = SummaryFiles.of(workspaces.of(request.threadId()), request.summaryId()).dir();
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for the next attempt to overwrite
        }
    }

    private SummaryResult outcome(SummaryRequested request, int exit, SummaryFiles files, long durationMs) {
        JsonNode result = readResult(files.output());
        if (result != null && result.path("is_error").asBoolean(false)) {
            String message = result.path("result").asText("").strip();
            if (message.isEmpty()) {
                message = "Claude Code ended with " + result.path("subtype").asText("an error");
            }
            return failed(request, StreamJsonMapper.classify(result, message), message);
        }
        if (result != null) {
            String text = result.path("result").asText("").strip();
            if (text.isEmpty()) {
                return failed(request, FailureReason.CLI_ERROR, "Claude Code answered with an empty summary.");
            }
            JsonNode usage = result.path("usage");
            return new SummaryResult.SummaryCompleted(SummaryResult.eventId(request.summaryId(), request.attempt()),
                    Instant.now(), SummaryResult.SCHEMA_VERSION, request.threadId(), request.summaryId(),
                    request.attempt(), text, model(result, request),
                    new Usage(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong(),
                            usage.path("cache_read_input_tokens").asLong(),
                            usage.path("cache_creation_input_tokens").asLong()),
                    result.hasNonNull("total_cost_usd") ? new BigDecimal(result.path("total_cost_usd").asText()) : null,
                    durationMs);
        }
        String err = StderrTail.of(files.stderr());
        if (exit == 127) {
            return failed(request, FailureReason.CLI_MISSING, "The Claude Code CLI could not be run: " + err);
        }
        String lower = err.toLowerCase(Locale.ROOT);
        FailureReason reason = lower.contains("login") || lower.contains("api key") ? FailureReason.NOT_LOGGED_IN
                : FailureReason.CLI_ERROR;
        return failed(request, reason, "Claude Code exited with code " + exit + (err.isEmpty() ? "" : ": " + err));
    }

    /** The model that wrote most of the output, as the CLI's {@code modelUsage} names it; else the requested one. */
    private static String model(JsonNode result, SummaryRequested request) {
        return result.path("modelUsage").properties().stream()
                .max(Comparator.comparingLong(e -> e.getValue().path("outputTokens").asLong()))
                .map(Map.Entry::getKey)
                .orElse(request.model());
    }

    /** The CLI's result object: the last line of its output that is one; null if there is none. */
    private JsonNode readResult(Path output) {
        List<String> lines;
        try {
            lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.startsWith("{")) {
                try {
                    JsonNode node = json.readTree(line);
                    if ("result".equals(node.path("type").asText())) {
                        return node;
                    }
                } catch (IOException notJson) {
                    // not the result object
                }
            }
        }
        return null;
    }

    /** A {@code SummaryFailed} answering {@code request}; its message has token-shaped strings removed. */
    static SummaryResult.SummaryFailed failed(SummaryRequested request, FailureReason reason, String message) {
        return new SummaryResult.SummaryFailed(SummaryResult.eventId(request.summaryId(), request.attempt()),
                Instant.now(), SummaryResult.SCHEMA_VERSION, request.threadId(), request.summaryId(), request.attempt(),
                reason.name(), SecretRedactor.redact(message));
    }


    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    /** On shutdown: stop the summaries' CLIs (their requests stay unacknowledged and run again after the restart). */
    void onShutdown(@Observes @Priority(2) ShutdownEvent event) {
        running.forEach(TurnProcess::killGroup);
    }
}
