package io.mainloop.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A local task's files, in {@code <its workspace>/.mainloop/task/}: the prompt of the current run
 * (the CLI's stdin), the sub-agent instructions, its MCP configuration, the CLI's stream-json
 * output of every run (appended; a {@code {"mainloop":"attempt","attempt":N}} line opens each run)
 * and its stderr. The output file is the task's live log.
 *
 * @param workspace the task's own workspace (the CLI's working directory unless a workdir is set)
 * @param dir the files' directory
 */
public record TaskWorkspace(Path workspace, Path dir) {

    /** The workspace name of a task (one per task, beside the threads' workspaces). */
    public static String name(UUID taskId) {
        return "task-" + taskId;
    }

    /** The files of the task whose workspace is {@code workspace}, the directory created. */
    public static TaskWorkspace of(Path workspace) throws IOException {
        return new TaskWorkspace(workspace, Files.createDirectories(workspace.resolve(".mainloop").resolve("task")));
    }

    /** The current run's prompt (stdin). */
    public Path prompt() {
        return dir.resolve("prompt.txt");
    }

    /** The sub-agent instructions ({@code --append-system-prompt-file}). */
    public Path instructions() {
        return dir.resolve("instructions.md");
    }

    /** The MCP configuration (the {@code ask_owner} tool). */
    public Path mcpConfig() {
        return dir.resolve("mcp.json");
    }

    /** Every run's stream-json output, appended. */
    public Path output() {
        return dir.resolve("output.jsonl");
    }

    /** The CLI's stderr. */
    public Path stderr() {
        return dir.resolve("stderr.log");
    }
}
