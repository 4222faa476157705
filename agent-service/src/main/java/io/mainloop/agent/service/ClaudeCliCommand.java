package io.mainloop.agent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mainloop.agent.config.AgentConfig;
import io.mainloop.contracts.ContextMessage;
import io.mainloop.contracts.TurnKind;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.support.mcp.McpTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Builds the headless Claude Code invocation of a turn: {@code setsid claude -p --input-format
 * stream-json --output-format stream-json --verbose --include-partial-messages --settings <sandbox>
 * --strict-mcp-config [--mcp-config <workspace>/.mainloop/mcp.json]} (memory-service's MCP tools,
 * when {@code mainloop.agent.memory-mcp.*} is set), run in the thread's persistent workspace with
 * its own HOME and temp dir, the turn (context and new message) as one stream-json user message on
 * stdin and stdout/stderr appended to the turn's files ({@link TurnFiles}), never to pipes of this
 * JVM: the CLI outlives a crash of agent-service. The context is never on the command line (one
 * argument is at most 128 KiB, and {@code /proc} shows arguments to every local user). The same
 * flags serve a CLI started ahead of its turn ({@link #prepare}), which gets the message on a pipe. The CLI gets a minimal environment ({@code mainloop.agent.pass-environment}).
 * Flags and environment: {@code shared/reference/claude-code-headless.md}.
 */
@ApplicationScoped
public class ClaudeCliCommand {

    /** The text the CLI gets when a turn whose CLI died is resumed with {@code --resume}. */
    static final String RESUME_PROMPT = "Your previous run of this turn was interrupted before it finished "
            + "(agent-service restarted). Continue where you left off; do not repeat tool calls that already ran.";

    private static final Logger LOG = Logger.getLogger(ClaudeCliCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicBoolean warnedNoSecret = new AtomicBoolean();

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Inject
    AgentConfig config;

    @Inject
    Workspaces workspaces;

    @Inject
    SandboxSettings sandbox;

    @Inject
    OwnEndpoint ownEndpoint;

    /** The executable: {@code mainloop.agent.claude-path}, else {@code claude} on the PATH. */
    public String executable() {
        return config.claudePath().map(Path::toString).orElse("claude");
    }

    /** Whether the executable exists: the configured path, or {@code claude} on the PATH. */
    public boolean isAvailable() {
        if (config.claudePath().isPresent()) {
            return Files.isExecutable(config.claudePath().get());
        }
        return onPath("claude");
    }

    /** Whether the sandbox can run here: disabled, or {@code bwrap} and {@code socat} on the PATH. */
    public boolean sandboxAvailable() {
        return !config.sandbox().enabled() || (onPath("bwrap") && onPath("socat"));
    }

    private static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, name)));
    }

    /** The files of {@code turn} in its thread's workspace (created). */
    public TurnFiles files(TurnRequested turn) throws IOException {
        return TurnFiles.of(workspaces.of(turn.threadId()), turn.turnId());
    }

    /**
     * A process builder for {@code turn}: writes what the CLI reads on stdin (the turn's
     * {@link #userMessage} as one stream-json line; a heartbeat: its prompt as text, its light
     * context as a file), and appends the CLI's output to the turn's output file.
     *
     * @param sessionId the Claude Code session id (chosen up front, reported in turn.started)
     * @param resume whether to resume that session (its earlier CLI died mid-turn) instead of starting it
     */
    public ProcessBuilder build(TurnRequested turn, UUID sessionId, TurnFiles files, boolean resume) throws IOException {
        Path workspace = workspaces.of(turn.threadId());
        boolean heartbeat = turn.kind() == TurnKind.HEARTBEAT;
        Path input;
        if (heartbeat) {
            Files.writeString(files.prompt(), promptOf(turn, resume), StandardCharsets.UTF_8);
            Files.writeString(files.context(), renderContext(turn), StandardCharsets.UTF_8);
            input = files.prompt();
        } else {
            Files.writeString(files.input(), userMessage(turn, resume), StandardCharsets.UTF_8);
            input = files.input();
        }
        List<String> flags = turnFlags(turn, sessionId, resume, files.context().toString(),
                sandbox.forWorkspace(workspace), heartbeat ? List.of() : mcpFlags(turn.threadId()));
        return headless(turn.threadId(), workspace, flags)
                .redirectInput(input.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.output().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(files.stderr().toFile()));
    }

    /**
     * The flags a CLI started ahead of a turn gets ({@link #sessionFlags}, the default model) and
     * a process builder for it in the thread's workspace, its stdin a pipe (the turn's
     * {@link #userMessage} is written there later), its output appended to {@code output} and
     * {@code stderr}. A turn fits this CLI when {@link #coldFlags} of the turn equal these flags.
     *
     * @return the flags and the builder
     */
    public Prepared prepare(String threadId, UUID sessionId, Path output, Path stderr) throws IOException {
        Path workspace = workspaces.of(threadId);
        List<String> flags = sessionFlags(config.model().filter(m -> !m.isBlank()), sessionId, false,
                sandbox.forWorkspace(workspace), mcpFlags(threadId));
        ProcessBuilder builder = headless(threadId, workspace, flags)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        return new Prepared(flags, builder);
    }

    /**
     * A CLI start prepared ahead of a turn.
     *
     * @param flags its flags (after {@code -p})
     * @param builder its process builder
     */
    public record Prepared(List<String> flags, ProcessBuilder builder) {
    }

    /**
     * The flags a cold start of {@code turn} (not a heartbeat, not resumed) would get with
     * {@code sessionId}: what a CLI started ahead of it must have been started with to run it.
     */
    public List<String> coldFlags(TurnRequested turn, UUID sessionId) throws IOException {
        return turnFlags(turn, sessionId, false, "", sandbox.forWorkspace(workspaces.of(turn.threadId())),
                mcpFlags(turn.threadId()));
    }

    /**
     * The CLI flags of a turn (after {@code -p}). A heartbeat: stream-json output, its session,
     * its light context replacing Claude Code's own system prompt ({@code --system-prompt-file}),
     * no tools, no MCP server; its prompt comes as text on stdin. Any other turn:
     * {@link #sessionFlags} with the turn's model; its context and new message come as one
     * stream-json user message on stdin ({@link #userMessage}).
     *
     * @param contextFile a heartbeat's light context's path as the CLI sees it (unused otherwise)
     * @param settings the {@code --settings} JSON
     * @param mcpFlags the MCP flags ({@link #mcpFlags}); ignored for a heartbeat
     */
    public List<String> turnFlags(TurnRequested turn, UUID sessionId, boolean resume, String contextFile,
                                  String settings, List<String> mcpFlags) {
        Optional<String> model = Optional.ofNullable(turn.model()).filter(m -> !m.isBlank())
                .or(() -> config.model().filter(m -> !m.isBlank()));
        if (turn.kind() != TurnKind.HEARTBEAT) {
            return sessionFlags(model, sessionId, resume, settings, mcpFlags);
        }
        List<String> flags = new ArrayList<>(List.of(
                "--output-format", "stream-json", "--verbose", "--include-partial-messages",
                resume ? "--resume" : "--session-id", sessionId.toString(),
                "--permission-mode", config.permissionMode(),
                "--system-prompt-file", contextFile,
                "--setting-sources", "",
                "--settings", settings,
                "--tools", "", "--strict-mcp-config"));
        model.ifPresent(m -> flags.addAll(List.of("--model", m)));
        return flags;
    }

    /**
     * The flags of a main-thread CLI that reads its turn as stream-json on stdin:
     * {@code --input-format stream-json --output-format stream-json --verbose --include-partial-messages},
     * the session ({@code --session-id}, or {@code --resume} after a CLI died mid-turn), the
     * permission mode, the built-in tools ({@code mainloop.agent.tools}), no settings but
     * {@code settings}, the MCP flags, and the model if any.
     * Shapes: {@code shared/reference/claude-code-headless.md}.
     */
    public List<String> sessionFlags(Optional<String> model, UUID sessionId, boolean resume, String settings,
                                     List<String> mcpFlags) {
        List<String> flags = new ArrayList<>(List.of(
                "--input-format", "stream-json",
                "--output-format", "stream-json", "--verbose", "--include-partial-messages",
                resume ? "--resume" : "--session-id", sessionId.toString(),
                "--permission-mode", config.permissionMode(),
                "--tools", config.tools(),
                "--setting-sources", "",
                "--settings", settings));
        flags.addAll(mcpFlags);
        model.ifPresent(m -> flags.addAll(List.of("--model", m)));
        return flags;
    }

    /** The text a heartbeat's CLI gets on stdin: its prompt, or, resuming a CLI that died mid-turn, {@link #RESUME_PROMPT}. */
    public static String promptOf(TurnRequested turn, boolean resume) {
        return resume ? RESUME_PROMPT : turn.prompt();
    }

    /**
     * The turn as the one stream-json user message the CLI reads on stdin, a line of
     * {@code {"type":"user","message":{"role":"user","content":TEXT}}}: TEXT is the assembled
     * context (the system prompt and the conversation so far) in a {@code <context>} block, then
     * the new message(s); resuming a CLI that died mid-turn (its session holds all that), only
     * {@link #RESUME_PROMPT}. The context is the assistant's only memory: each turn is a new
     * Claude Code session.
     */
    public static String userMessage(TurnRequested turn, boolean resume) {
        String context = renderContext(turn);
        String text = resume ? RESUME_PROMPT
                : context.isEmpty() ? turn.prompt() : "<context>\n" + context + "\n</context>\n\n" + turn.prompt();
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "user");
        line.putObject("message").put("role", "user").put("content", text);
        return line + "\n";
    }

    /**
     * A process builder for {@code setsid claude -p <flags>} run in {@code directory}, with the
     * thread's own HOME and temp dir (in its workspace) and the CLI's minimal environment; the
     * caller sets its input and output redirects.
     *
     * @throws IOException if the workspace's directories cannot be created
     */
    public ProcessBuilder headless(String threadId, Path directory, List<String> flags) throws IOException {
        Path workspace = workspaces.of(threadId);
        Path home = Files.createDirectories(workspace.resolve(".home"));
        Path tmp = shortTempDir(Files.createDirectories(workspace.resolve(".tmp")));
        linkExistingLogin(home);
        List<String> command = new ArrayList<>(List.of("setsid", executable(), "-p"));
        command.addAll(flags);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        environment(builder.environment(), home, tmp);
        return builder;
    }

    /**
     * The MCP flags of a turn: always {@code --strict-mcp-config} (no MCP server from anywhere
     * else), and, when memory-service's MCP server is configured, {@code --mcp-config} naming the
     * turn's {@code mcp.json}, written here. A URL without a secret is warned about once and
     * gives no MCP server.
     */
    List<String> mcpFlags(String threadId) throws IOException {
        Optional<String> url = config.memoryMcp().url().filter(u -> !u.isBlank());
        Optional<String> secret = config.memoryMcp().secret().filter(v -> !v.isBlank());
        if (url.isPresent() && secret.isEmpty() && !warnedNoSecret.getAndSet(true)) {
            LOG.warn("mainloop.agent.memory-mcp.url is set but mainloop.agent.memory-mcp.secret is not: "
                    + "the assistant gets no memory or task tools");
        }
        if (secret.isEmpty()) {
            return List.of("--strict-mcp-config");
        }
        java.util.Map<String, String> servers = new java.util.HashMap<>();
        url.ifPresent(u -> servers.put("memory", u));
        config.schedulerMcp().url().filter(u -> !u.isBlank()).ifPresent(u -> servers.put("scheduler", u));
        if (config.tasks().enabled()) {
            servers.put("tasks", ownEndpoint.tasksMcpUrl());
        }
        return mcpConfig(servers, secret.get(), threadId, mcpFile(threadId));
    }

    /**
     * The thread's MCP configuration file, {@code <workspace>/.mainloop/mcp.json}: the same for
     * every turn of the thread (its token is the thread's), so a CLI started ahead of a turn and
     * one started for it read the same file.
     */
    Path mcpFile(String threadId) throws IOException {
        return Files.createDirectories(workspaces.of(threadId).resolve(".mainloop")).resolve("mcp.json");
    }

    static List<String> mcpFlags(Optional<String> url, Optional<String> secret, String threadId, Path file)
            throws IOException {
        if (url.isEmpty() || secret.isEmpty()) {
            return List.of("--strict-mcp-config");
        }
        return mcpConfig(java.util.Map.of("memory", url.get()), secret.get(), threadId, file);
    }

    /**
     * Writes an MCP configuration naming {@code servers} (name -> streamable HTTP URL), each
     * called with {@code caller}'s bearer token ({@link McpTokens}), to {@code file} (mode 600).
     *
     * @param caller the thread id (or {@code task:<id>} for a sub-agent) the tools act for
     * @return the CLI flags that load it and nothing else
     */
    public static List<String> mcpConfig(java.util.Map<String, String> servers, String secret, String caller, Path file)
            throws IOException {
        // written aside and moved in place: a CLI starting meanwhile reads the old file or the new one, never half of one
        Path next = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(next, mcpConfigJson(servers, secret, caller), StandardCharsets.UTF_8);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return List.of("--strict-mcp-config", "--mcp-config", file.toString());
    }

    /**
     * The CLI's MCP configuration as JSON ({@code {"mcpServers":{name:{"type":"http","url":...,
     * "headers":{...}}}}}): each server gets {@code Authorization: Bearer <caller's token>} and the
     * caller in {@code Mainloop-Thread}. It holds a token: keep it out of logs and readable by its owner only.
     */
    public static String mcpConfigJson(java.util.Map<String, String> servers, String secret, String caller) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode all = root.putObject("mcpServers");
        new java.util.TreeMap<>(servers).forEach((name, url) -> {
            ObjectNode server = all.putObject(name);
            server.put("type", "http").put("url", url);
            server.putObject("headers")
                    .put("Authorization", "Bearer " + McpTokens.token(secret, caller))
                    .put(McpTokens.THREAD_HEADER, caller);
        });
        return root.toString();
    }

    /** Replaces {@code env} with the CLI's minimal environment. */
    void environment(Map<String, String> env, Path home, Path tmp) {
        Map<String, String> own = Map.copyOf(env);
        env.clear();
        for (String name : config.passEnvironment()) {
            String value = own.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("CLAUDE_CODE_TMPDIR", tmp.toString());
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        // no notes of its own kept in the workspace between turns: mainloop's memory is the assistant's
        env.put("CLAUDE_CODE_DISABLE_AUTO_MEMORY", "1");
        if ("root".equals(System.getProperty("user.name"))) {
            env.put("IS_SANDBOX", "1"); // else the CLI refuses bypassPermissions as root
        }
        env.putAll(config.cliEnvironment());
        env.values().removeIf(String::isEmpty);
    }

    /**
     * A short path for the workspace's temp dir: a link {@code mainloop-<hash>} to it in the
     * system temp dir ({@code java.io.tmpdir}). The sandbox's proxy bridges are Unix sockets in
     * the temp dir, and a socket path may have at most 107 bytes, which a deep workspace path
     * exceeds. The hash (SHA-256 of the path) keeps two workspaces from sharing a link.
     */
    static Path shortTempDir(Path tmp) throws IOException {
        Path link = Path.of(System.getProperty("java.io.tmpdir"), "mainloop-" + Workspaces.hash(tmp.toAbsolutePath().toString()));
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(tmp.toAbsolutePath())) {
            return link;
        }
        Files.deleteIfExists(link);
        return Files.createSymbolicLink(link, tmp.toAbsolutePath());
    }

    /** Lets the CLI use the machine user's existing {@code claude} login (its credentials file), if any. */
    private static void linkExistingLogin(Path home) throws IOException {
        Path credentials = Path.of(System.getProperty("user.home"), ".claude", ".credentials.json");
        Path link = home.resolve(".claude").resolve(".credentials.json");
        if (Files.isRegularFile(credentials) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)
                && !credentials.equals(link)) {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, credentials);
        }
    }

    /** The system prompt, then the earlier messages, oldest first (memory-service keeps it within the token budget). */
    public static String renderContext(TurnRequested turn) {
        StringBuilder out = new StringBuilder(turn.systemPrompt() == null ? "" : turn.systemPrompt());
        List<ContextMessage> messages = turn.context() == null ? List.of() : turn.context();
        if (!messages.isEmpty()) {
            out.append("\n\nThe conversation so far on this thread (oldest first):\n\n");
            for (ContextMessage m : messages) {
                out.append('[').append(WHEN.format(m.createdAt())).append("] ").append(m.role().name().toLowerCase())
                        .append(": ").append(m.text()).append("\n\n");
            }
        }
        return out.toString().strip();
    }
}
