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
 * Builds the headless Claude Code invocation of a turn: {@code setsid claude -p --output-format
 * stream-json --verbose --include-partial-messages --append-system-prompt-file <context>
 * --settings <sandbox> --strict-mcp-config [--mcp-config <turn dir>/mcp.json]} (memory-service's
 * MCP tools, when {@code mainloop.agent.memory-mcp.*} is set), run in the thread's persistent
 * workspace with its own HOME and temp dir, the prompt on stdin and stdout/stderr appended to the turn's files ({@link TurnFiles}), never
 * to pipes of this JVM: the CLI outlives a crash of agent-service. The context goes in a file,
 * not on the command line (one argument is at most 128 KiB, and {@code /proc} shows arguments to
 * every local user). The CLI gets a minimal environment ({@code mainloop.agent.pass-environment}).
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
     * A process builder for {@code turn}: writes its prompt and context files, and appends the
     * CLI's output to the turn's output file.
     *
     * @param sessionId the Claude Code session id (chosen up front, reported in turn.started)
     * @param resume whether to resume that session (its earlier CLI died mid-turn) instead of starting it
     */
    public ProcessBuilder build(TurnRequested turn, UUID sessionId, TurnFiles files, boolean resume) throws IOException {
        Path workspace = workspaces.of(turn.threadId());
        Files.writeString(files.prompt(), promptOf(turn, resume), StandardCharsets.UTF_8);
        Files.writeString(files.context(), renderContext(turn), StandardCharsets.UTF_8);

        boolean heartbeat = turn.kind() == TurnKind.HEARTBEAT;
        List<String> flags = turnFlags(turn, sessionId, resume, files.context().toString(),
                sandbox.forWorkspace(workspace), heartbeat ? List.of() : mcpFlags(turn.threadId(), files));
        return headless(turn.threadId(), workspace, flags)
                .redirectInput(files.prompt().toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.output().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(files.stderr().toFile()));
    }

    /**
     * The CLI flags of a turn (after {@code -p}): stream-json output with partial messages, the
     * session ({@code --session-id}, or {@code --resume} after a CLI died mid-turn), the permission
     * mode, the context file ({@code --append-system-prompt-file}; a heartbeat's light context
     * replaces Claude Code's own system prompt instead and it gets no tools and no MCP server), no
     * settings but {@code settings}, the MCP flags, and the turn's model.
     *
     * @param contextFile the rendered context's path as the CLI sees it
     * @param settings the {@code --settings} JSON
     * @param mcpFlags the MCP flags ({@link #mcpFlags}); ignored for a heartbeat
     */
    public List<String> turnFlags(TurnRequested turn, UUID sessionId, boolean resume, String contextFile,
                                  String settings, List<String> mcpFlags) {
        boolean heartbeat = turn.kind() == TurnKind.HEARTBEAT;
        List<String> flags = new ArrayList<>(List.of(
                "--output-format", "stream-json", "--verbose", "--include-partial-messages",
                resume ? "--resume" : "--session-id", sessionId.toString(),
                "--permission-mode", config.permissionMode(),
                heartbeat ? "--system-prompt-file" : "--append-system-prompt-file", contextFile,
                "--setting-sources", "",
                "--settings", settings));
        if (heartbeat) {
            flags.addAll(List.of("--tools", "", "--strict-mcp-config"));
        } else {
            flags.addAll(mcpFlags);
        }
        Optional.ofNullable(turn.model()).filter(m -> !m.isBlank()).or(config::model)
                .ifPresent(model -> flags.addAll(List.of("--model", model)));
        return flags;
    }

    /** The text the CLI gets on stdin: the new message(s), or, resuming a CLI that died mid-turn, {@link #RESUME_PROMPT}. */
    public static String promptOf(TurnRequested turn, boolean resume) {
        return resume ? RESUME_PROMPT : turn.prompt();
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
    List<String> mcpFlags(String threadId, TurnFiles files) throws IOException {
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
        return mcpConfig(servers, secret.get(), threadId, files.mcpConfig());
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
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, mcpConfigJson(servers, secret, caller), StandardCharsets.UTF_8);
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
