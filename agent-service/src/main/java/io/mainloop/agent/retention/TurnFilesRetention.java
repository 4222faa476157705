package io.mainloop.agent.retention;

import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.service.Workspaces;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Deletes what each turn leaves behind in its thread's workspace once it is older than
 * {@code mainloop.agent.turn-files-retention} (default 7 days): the turn's own files
 * ({@code .mainloop/turns/<turn>/}: its input, which holds the whole assembled context, its
 * output and stderr) and what the Claude Code CLI keeps per run in the workspace's HOME and temp
 * dir (session transcripts under {@code .claude/projects/}, process records under
 * {@code .claude/sessions/}, its MCP logs under {@code .cache/claude-cli-nodejs/}, npm logs, and
 * everything in {@code .tmp/}). Each turn's context is tens of KB, so without this a workspace
 * grows by megabytes a day. Nothing else of the workspace is touched: the files the assistant
 * works on stay. A file counts by its last modification, so a running turn's files (written
 * until its end; a turn lasts at most {@code turn-timeout}) are never old enough; the history
 * itself is memory-service's, not these files'. Runs hourly, and 5 minutes after start.
 */
@ApplicationScoped
public class TurnFilesRetention {

    private static final Logger LOG = Logger.getLogger(TurnFilesRetention.class);

    /** The directories of a workspace whose old files are deleted, relative to the workspace. */
    static final List<Path> SWEPT = Stream.of(".mainloop/turns", ".home/.claude/projects", ".home/.claude/sessions",
            ".home/.cache/claude-cli-nodejs", ".home/.npm/_logs", ".tmp").map(Path::of).toList();

    @Inject
    AgentConfig config;

    @Inject
    Workspaces workspaces;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int deleted = sweep(Instant.now());
            if (deleted > 0) {
                LOG.infof("deleted %d turn files older than %s from the workspaces", deleted, retention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("turn files not swept: %s", e.toString());
        }
    }

    /**
     * Deletes, in every workspace under the workspace root, the files of {@link #SWEPT} last
     * modified before {@code now} minus the retention, and the directories they leave empty.
     *
     * @return how many files were deleted
     */
    public int sweep(Instant now) {
        Instant before = now.minus(retention());
        Path root = workspaces.root();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> all = Files.list(root)) {
            for (Path workspace : all.filter(Files::isDirectory).toList()) {
                for (Path swept : SWEPT) {
                    deleted += sweep(workspace.resolve(swept), before);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deleted;
    }

    /** The retention, at least {@link #MIN_RETENTION} (a turn's files must outlive the turn, its CLI and a restart). */
    java.time.Duration retention() {
        java.time.Duration configured = config.turnFilesRetention();
        return configured.compareTo(MIN_RETENTION) < 0 ? MIN_RETENTION : configured;
    }

    /** The shortest retention: a shorter setting counts as this. */
    static final java.time.Duration MIN_RETENTION = java.time.Duration.ofDays(1);

    /** Deletes the files under {@code dir} older than {@code before}, then its subdirectories left empty. */
    private static int sweep(Path dir, Instant before) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int deleted = 0;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow links: a link out of the workspace is deleted, not followed
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf("%s not swept: %s", dir, e.getMessage());
            return 0;
        }
        for (Path path : paths) {
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    if (!path.equals(dir) && isEmpty(path)) {
                        Files.deleteIfExists(path);
                    }
                } else if (Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                    Files.deleteIfExists(path);
                    deleted++;
                }
            } catch (IOException e) {
                LOG.debugf("%s not deleted: %s", path, e.getMessage());
            }
        }
        return deleted;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
