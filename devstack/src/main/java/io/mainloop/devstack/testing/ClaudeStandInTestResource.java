package io.mainloop.devstack.testing;

import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.process.FreePorts;
import io.mainloop.devstack.standin.StandInAnthropicApi;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives agent-service's {@code @QuarkusTest}s the real, pinned Claude Code CLI (installed on
 * first use) talking to the stand-in Anthropic API, and a throw-away data directory laid out like
 * {@code ./mainloop up}'s: {@code workspaces/} beside an {@code owner-token} file and a
 * {@code postgres/} directory, which the assistant's sandbox must keep it from reading
 * ({@code mainloop.agent.sandbox.data-dir}). memory-service's MCP server is configured at an
 * address where nothing listens ({@link #UNREACHABLE_MCP_URL}, with {@link #FAKE_MCP_SECRET}): a
 * turn must complete without it.
 *
 * <p>The CLI is run through a shell script that {@code exec}s it, unless the turn's model is
 * {@link #LINGERING_MODEL}: then the script runs on for 10 minutes after the CLI answered and
 * exited, a CLI that does not end after its answer (a fault a turn must not wait for).
 */
public class ClaudeStandInTestResource implements QuarkusTestResourceLifecycleManager {

    /** The content of the fake owner token in the test data directory. */
    public static final String FAKE_OWNER_TOKEN = "owner-token-that-the-assistant-must-never-read";

    /** The content of a fake PostgreSQL data file in the test data directory. */
    public static final String FAKE_PG_DATA = "postgres-data-the-assistant-must-never-read";

    /** The MCP secret agent-service is given. */
    public static final String FAKE_MCP_SECRET = "mcp-secret-of-the-tests";

    /** memory-service's MCP address agent-service is given: a free port, where nothing listens. */
    public static final String UNREACHABLE_MCP_URL = "http://127.0.0.1:" + FreePorts.next() + "/mcp";

    /** The model name that makes the CLI linger 10 minutes after its answer. */
    public static final String LINGERING_MODEL = "stand-in-lingers-after-its-answer";

    private static volatile StandInAnthropicApi current;

    private StandInAnthropicApi api;
    private Path data;
    private Path bin;

    /** The stand-in of the running test application (tests inspect the requests it received). */
    public static StandInAnthropicApi standIn() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        try {
            String claude = lingeringWrapper(ClaudeCode.ensureInstalled()).toString();
            api = StandInAnthropicApi.start(0);
            current = api;
            data = Files.createTempDirectory("mainloop-data-");
            Files.writeString(data.resolve("owner-token"), FAKE_OWNER_TOKEN + "\n");
            Files.createDirectories(data.resolve("postgres"));
            Files.writeString(data.resolve("postgres").resolve("PG_VERSION"), FAKE_PG_DATA + "\n");
            Path workspaces = Files.createDirectories(data.resolve("workspaces"));
            return Map.of(
                    "mainloop.agent.claude-path", claude,
                    "mainloop.agent.memory-mcp.url", UNREACHABLE_MCP_URL,
                    "mainloop.agent.memory-mcp.secret", FAKE_MCP_SECRET,
                    "mainloop.agent.workspace-dir", workspaces.toString(),
                    "mainloop.agent.sandbox.data-dir", data.toString(),
                    "mainloop.agent.cli-environment.ANTHROPIC_BASE_URL", api.baseUrl(),
                    "mainloop.agent.cli-environment.ANTHROPIC_API_KEY", "stand-in-key",
                    "mainloop.agent.cli-environment.CLAUDE_CODE_MAX_RETRIES", "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code claude}, a script that runs {@code real}: at once, or lingering for {@link #LINGERING_MODEL}. */
    private Path lingeringWrapper(Path real) throws IOException {
        bin = Files.createTempDirectory("mainloop-cli-");
        Path script = bin.resolve("claude");
        Files.writeString(script, "#!/bin/sh\n"
                + "case \" $* \" in\n"
                + "  *\" --model " + LINGERING_MODEL + " \"*) \"" + real + "\" \"$@\"; status=$?; sleep 600; exit $status ;;\n"
                + "esac\n"
                + "exec \"" + real + "\" \"$@\"\n");
        if (!script.toFile().setExecutable(true)) {
            throw new IOException("could not make " + script + " executable");
        }
        return script;
    }

    /** Stops the stand-in and deletes the data directory, with the short temp-dir links agent-service made into it. */
    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
        if (bin != null) {
            try {
                org.apache.commons.io.file.PathUtils.deleteDirectory(bin);
            } catch (IOException e) {
                // a temp directory: left to the system
            }
        }
        if (data != null) {
            io.mainloop.devstack.process.TempDirLinks.deleteInto(data);
            try {
                org.apache.commons.io.file.PathUtils.deleteDirectory(data);
            } catch (IOException e) {
                // a CLI the test left running may still write there: the rest is left to the OS's temp cleaning
                System.err.println("test data in " + data + " not fully deleted: " + e);
            }
        }
    }
}
