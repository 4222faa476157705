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
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * works on stay; so do sub-agent tasks' workspaces (one waiting for the owner's answer resumes its
 * CLI session whenever it comes). The assistant can write in its workspace, so nothing is followed
 * out of it: a swept directory reached through a symbolic link is skipped, and a link found inside
 * is deleted, never followed. A file or an empty directory counts by its last modification, so a running turn's files (written
 * until its end; a turn lasts at most {@code turn-timeout}) are never old enough; the history
 * itself is memory-service's, not these files'. Runs hourly, and 5 minutes after start.
 */
@ApplicationScoped
public class TurnFilesRetention {

    private static final Logger LOG = Logger.getLogger(TurnFilesRetention.class);

    /** The directories of a workspace whose old files are deleted, relative to the workspace. */
    static final List<Path> SWEPT = Stream.of(".mainloop/turns", ".home/.claude/projects", ".home/.claude/sessions",
            ".home/.cache/claude-cli-nodejs", ".home/.npm/_logs", ".tmp").map(Path::of).toList();

    /** The shortest retention: a shorter setting counts as this. */
    static final Duration MIN_RETENTION = Duration.ofDays(1);

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
            for (Path workspace : all.filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (Files.exists(workspace.resolve(".mainloop").resolve("task"), LinkOption.NOFOLLOW_LINKS)) {
                    continue; // a sub-agent task's workspace (launcher.TaskWorkspace)
                }
                Path real = workspace.toRealPath();
                for (Path swept : SWEPT) {
                    Path dir = workspace.resolve(swept);
                    if (inside(workspace, real, dir)) {
                        deleted += sweep(workspace, real, dir, before);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deleted;
    }

    /** The retention, at least {@link #MIN_RETENTION} (a turn's files must outlive the turn, its CLI and a restart). */
    Duration retention() {
        Duration configured = config.turnFilesRetention();
        return configured.compareTo(MIN_RETENTION) < 0 ? MIN_RETENTION : configured;
    }

    /**
     * Whether {@code dir} exists as a directory reached from {@code workspace} (whose real path is
     * {@code real}) without any symbolic link on the way.
     */
    static boolean inside(Path workspace, Path real, Path dir) {
        try {
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    && dir.toRealPath().equals(real.resolve(workspace.relativize(dir)));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes the files under {@code dir} (a directory {@link #inside} {@code workspace}, real path
     * {@code real}) older than {@code before}, then its subdirectories left empty and older than
     * {@code before} too (a running CLI's fresh, still empty ones stay).
     */
    private static int sweep(Path workspace, Path real, Path dir, Instant before) {
        int deleted = 0;
        List<Path> paths;
        Set<Path> old = new HashSet<>(); // judged before any deletion touches a directory's time
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow links: a link out of the workspace is deleted, not followed
            paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                if (Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                    old.add(path);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf("%s not swept: %s", dir, e.getMessage());
            return 0;
        }
        for (Path path : paths) {
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    if (!path.equals(dir) && old.contains(path) && isEmpty(path) && inside(workspace, real, path)) {
                        Files.deleteIfExists(path);
                    }
                } else if (old.contains(path) && inside(workspace, real, path.getParent())) { // its directory not swapped for a link meanwhile
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
