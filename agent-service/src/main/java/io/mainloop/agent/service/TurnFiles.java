package io.mainloop.agent.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The files of one turn, in {@code <workspace>/.mainloop/turns/<turnId>/}: the prompt (the CLI's
 * stdin), the rendered context ({@code --append-system-prompt-file}), the CLI's stream-json output
 * (its stdout) and its stderr. Because the CLI writes to files, not to pipes of this JVM, it keeps
 * running when agent-service dies, and a restarted agent-service re-attaches to the output.
 *
 * @param dir the turn's directory
 */
public record TurnFiles(Path dir) {

    /** The files of {@code turnId} in {@code workspace}, the directory created. */
    public static TurnFiles of(Path workspace, UUID turnId) throws IOException {
        return new TurnFiles(Files.createDirectories(workspace.resolve(".mainloop").resolve("turns")
                .resolve(turnId.toString())));
    }

    /** The user's text, fed to the CLI on stdin. */
    public Path prompt() {
        return dir.resolve("prompt.txt");
    }

    /** The system prompt and earlier messages, passed with {@code --append-system-prompt-file}. */
    public Path context() {
        return dir.resolve("context.md");
    }

    /**
     * The turn's MCP configuration ({@code --mcp-config}, mode 600): memory-service's server with
     * this thread's bearer token.
     */
    public Path mcpConfig() {
        return dir.resolve("mcp.json");
    }

    /** The CLI's stdout: one stream-json object per line, appended by every run of the turn. */
    public Path output() {
        return dir.resolve("output.jsonl");
    }

    /** The CLI's stderr. */
    public Path stderr() {
        return dir.resolve("stderr.log");
    }

    /** Whether the CLI wrote any output for this turn yet. */
    public boolean hasOutput() {
        try {
            return Files.size(output()) > 0;
        } catch (IOException missing) {
            return false;
        }
    }
}
