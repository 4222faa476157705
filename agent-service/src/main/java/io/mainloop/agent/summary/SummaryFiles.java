package io.mainloop.agent.summary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The files of one summary run, in {@code <workspace>/.mainloop/summaries/<summaryId>/} (also the
 * CLI's working directory): the instructions ({@code --system-prompt-file}), the material (the
 * CLI's stdin), the CLI's JSON result (its stdout) and its stderr. Each attempt overwrites them.
 *
 * @param dir the summary's directory
 */
public record SummaryFiles(Path dir) {

    /** The files of {@code summaryId} in {@code workspace}, the directory created. */
    public static SummaryFiles of(Path workspace, UUID summaryId) throws IOException {
        return new SummaryFiles(Files.createDirectories(workspace.resolve(".mainloop").resolve("summaries")
                .resolve(summaryId.toString())));
    }

    /** The summarizer's system prompt. */
    public Path instructions() {
        return dir.resolve("instructions.md");
    }

    /** What to summarize, fed to the CLI on stdin. */
    public Path material() {
        return dir.resolve("material.md");
    }

    /** The CLI's stdout: its result object ({@code --output-format json}). */
    public Path output() {
        return dir.resolve("output.json");
    }

    /** The CLI's stderr. */
    public Path stderr() {
        return dir.resolve("stderr.log");
    }
}
