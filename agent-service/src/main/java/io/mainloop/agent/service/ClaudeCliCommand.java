package io.mainloop.agent.service;

import io.mainloop.agent.config.AgentConfig;
import io.mainloop.contracts.ContextMessage;
import io.mainloop.contracts.TurnRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the headless Claude Code invocation of a turn: {@code claude -p --output-format
 * stream-json --verbose --include-partial-messages --append-system-prompt <context>} with the
 * prompt on stdin, run in the thread's persistent workspace with its own HOME and temp dir.
 * Flags and environment: {@code shared/reference/claude-code-headless.md}.
 */
@ApplicationScoped
public class ClaudeCliCommand {

    /** Longest single argument Linux accepts is 128 KiB; the rendered context stays below this. */
    static final int MAX_CONTEXT_CHARS = 100_000;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Inject
    AgentConfig config;

    /** The executable: {@code mainloop.agent.claude-path}, else {@code claude} on the PATH. */
    public String executable() {
        return config.claudePath().map(Path::toString).orElse("claude");
    }

    /** Whether the executable exists: the configured path, or {@code claude} on the PATH. */
    public boolean isAvailable() {
        if (config.claudePath().isPresent()) {
            return Files.isExecutable(config.claudePath().get());
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "claude")));
    }

    /**
     * A process builder for {@code turn}, its workspace created if missing.
     *
     * @param sessionId the Claude Code session id to use (chosen up front, reported in turn.started)
     */
    public ProcessBuilder build(TurnRequested turn, UUID sessionId) throws IOException {
        Path workspace = workspace(turn.threadId());
        Path home = Files.createDirectories(workspace.resolve(".home"));
        Path tmp = Files.createDirectories(workspace.resolve(".tmp"));
        linkExistingLogin(home);

        List<String> command = new ArrayList<>(List.of("setsid", executable(), "-p",
                "--output-format", "stream-json", "--verbose", "--include-partial-messages",
                "--session-id", sessionId.toString(),
                "--permission-mode", config.permissionMode(),
                "--append-system-prompt", renderContext(turn)));
        config.model().ifPresent(model -> command.addAll(List.of("--model", model)));

        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile());
        Map<String, String> env = builder.environment();
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("CLAUDE_CODE_TMPDIR", tmp.toString());
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        if ("root".equals(System.getProperty("user.name"))) {
            env.put("IS_SANDBOX", "1"); // else the CLI refuses bypassPermissions as root
        }
        env.putAll(config.cliEnvironment());
        env.values().removeIf(String::isEmpty);
        return builder;
    }

    /** The thread's workspace directory (created). */
    public Path workspace(String threadId) throws IOException {
        String safe = threadId.replaceAll("[^A-Za-z0-9._-]", "_");
        return Files.createDirectories(config.workspaceDir().resolve(safe));
    }

    /** Lets the CLI use the machine user's existing {@code claude} login (its credentials file), if any. */
    private static void linkExistingLogin(Path home) throws IOException {
        Path credentials = Path.of(System.getProperty("user.home"), ".claude", ".credentials.json");
        Path link = home.resolve(".claude").resolve(".credentials.json");
        if (Files.isRegularFile(credentials) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !credentials.equals(link)) {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, credentials);
        }
    }

    /** The system prompt, then the earlier messages, oldest first; the oldest are dropped past the size cap. */
    static String renderContext(TurnRequested turn) {
        StringBuilder history = new StringBuilder();
        List<ContextMessage> messages = turn.context();
        for (int i = messages.size() - 1; i >= 0; i--) {
            ContextMessage m = messages.get(i);
            String entry = "[" + WHEN.format(m.createdAt()) + "] " + m.role().name().toLowerCase() + ": " + m.text() + "\n\n";
            if (history.length() + entry.length() + turn.systemPrompt().length() > MAX_CONTEXT_CHARS) {
                break;
            }
            history.insert(0, entry);
        }
        return turn.systemPrompt() + (history.isEmpty() ? ""
                : "\n\nThe conversation so far on this thread (oldest first):\n\n" + history.toString().strip());
    }
}
