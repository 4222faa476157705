package io.mainloop.agent.warm;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A CLI started ahead of a turn of {@code threadId}, waiting on stdin.
 *
 * @param threadId the thread whose next turn it runs
 * @param sessionId its Claude Code session ({@code --session-id})
 * @param process the CLI (leader of its process group)
 * @param dir where it writes ({@code output.jsonl}, {@code stderr.log}); moved to the turn's directory when taken
 * @param flags its flags after {@code -p}: a turn fits it when a cold start would get the same
 * @param startedAt when it was started
 */
public record WarmProcess(String threadId, UUID sessionId, Process process, Path dir, List<String> flags,
                          Instant startedAt) {
}
