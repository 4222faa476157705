package io.mainloop.agent.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The files of one turn, in {@code <workspace>/.mainloop/turns/<turnId>/}: what the CLI reads on
 * stdin (the turn as a stream-json user message; a heartbeat: its prompt, and its light context
 * for {@code --system-prompt-file}), the CLI's stream-json output (its stdout) and its stderr.
 * A CLI started ahead of the turn wrote to a directory of its own, moved here when the turn took it. Because the CLI writes to files, not to pipes of this JVM, it keeps
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

    /** A heartbeat's prompt, fed to its CLI on stdin as text. */
    public Path prompt() {
        return dir.resolve("prompt.txt");
    }

    /** A heartbeat's light context, passed with {@code --system-prompt-file}. */
    public Path context() {
        return dir.resolve("context.md");
    }

    /** The turn as one stream-json user message (context and new message), fed to the CLI on stdin. */
    public Path input() {
        return dir.resolve("input.jsonl");
    }

    /** The CLI's stdout: one stream-json object per line, appended by every run of the turn. */
    public Path output() {
        return dir.resolve("output.jsonl");
    }

    /** The CLI's stderr. */
    public Path stderr() {
        return dir.resolve("stderr.log");
    }
}
