package io.mainloop.memory.search;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's {@link SearchIndex} current with PostgreSQL: reads the search feed after
 * the index's cursor ({@link SearchFeed#after}) and re-indexes what each row names: a message (one
 * document per {@link Chunker chunk}, and its session's document again), a summary, a memory
 * (deleted from the index when forgotten, superseded or expired). Runs at start-up on a background
 * thread (an index that is missing, from another database, or behind is rebuilt or caught up; the
 * time is logged), every {@code mainloop.memory.search.catch-up}, and before every search, so a
 * search sees everything committed before it. One catch-up at a time per replica.
 *
 * <p>Messages stored without an embedding (the chat path) are embedded here and the vectors are
 * written back to {@code message.embedding}, so a rebuild reuses them.
 */
@ApplicationScoped
public class SearchIndexer {

    private static final Logger LOG = Logger.getLogger(SearchIndexer.class);

    /** Feed rows per batch (one index commit per batch). */
    static final int BATCH = 2000;

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    @Inject
    SearchFeed feed;

    @Inject
    Embedder embedder;

    /** Another index directory than the configured one (a second replica in a test); null for the configured one. */
    Path dirOverride;

    private volatile SearchIndex index;
    private volatile boolean ready;
    private volatile long lastRebuildMs = -1;
    private final java.util.concurrent.atomic.AtomicLong rebuilds = new java.util.concurrent.atomic.AtomicLong();

    void start(@Observes StartupEvent event) {
        if (!config.search().enabled()) {
            return;
        }
        Thread.ofPlatform().name("search-index-start").daemon().start(() -> {
            try {
                catchUp();
            } catch (RuntimeException e) {
                LOG.error("Search index catch-up at start failed; retried on schedule", e);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (index != null) {
                index.close();
                index = null;
            }
        }
    }

    @Scheduled(every = "${mainloop.memory.search.catch-up:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (config.search().enabled()) {
            try {
                catchUp();
                index().refresh(); // background merges finished since become searchable
            } catch (RuntimeException e) {
                LOG.warn("Search index catch-up failed; retried on schedule: " + e.getMessage());
            }
        }
    }

    /** The index, opened on first use. */
    public SearchIndex index() {
        SearchIndex i = index;
        if (i == null) {
            synchronized (this) {
                if (index == null) {
                    index = SearchIndex.open(indexDir());
                }
                i = index;
            }
        }
        return i;
    }

    private Path indexDir() {
        return dirOverride != null ? dirOverride : Path.of(config.search().indexDir());
    }

    /** Whether the first catch-up after start finished (the index then reflects PostgreSQL as of then). */
    public boolean ready() {
        return ready;
    }

    /** How many times the index was rebuilt from the start of the feed in this process. */
    public long rebuilds() {
        return rebuilds.get();
    }

    /** How long the last rebuild from an empty index took, ms; -1 if none ran in this process. */
    public long lastRebuildMs() {
        return lastRebuildMs;
    }

    /**
     * Catches up with everything committed before this call: waits up to
     * {@code mainloop.memory.search.freshness-wait} while an older transaction holds rows back.
     */
    public void catchUpFresh() {
        long deadline = System.nanoTime() + config.search().freshnessWait().toNanos();
        while (true) {
            boolean pending = catchUp();
            if (!pending || System.nanoTime() > deadline) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Indexes every readable feed row after the cursor.
     *
     * @return whether rows exist that could not be read yet (held back by a running transaction)
     */
    public synchronized boolean catchUp() {
        SearchIndex idx = index();
        try (Connection c = feed.connect()) {
            String epoch = feed.epoch(c);
            SearchIndex.Cursor cursor = idx.committedCursor();
            long rebuildStart = 0;
            if (cursor == null || !epoch.equals(cursor.epoch())) {
                LOG.infof("Search index in %s is %s: rebuilding it from PostgreSQL", idx.dir(), cursor != null
                        ? "from another database" : idx.otherLayout() ? "of an earlier version's layout" : "empty");
                idx.clear();
                cursor = SearchIndex.Cursor.start(epoch);
                rebuildStart = System.nanoTime();
            }
            long indexed = 0;
            while (true) {
                List<SearchFeed.Change> changes = feed.after(c, cursor.xid(), cursor.seq(), BATCH);
                if (changes.isEmpty()) {
                    break;
                }
                apply(c, idx, changes);
                SearchFeed.Change last = changes.getLast();
                cursor = new SearchIndex.Cursor(last.xid(), last.seq(), epoch);
                idx.commit(cursor);
                indexed += changes.size();
                if (changes.size() < BATCH) {
                    break;
                }
            }
            if (rebuildStart != 0) {
                idx.commit(cursor);
                lastRebuildMs = (System.nanoTime() - rebuildStart) / 1_000_000;
                rebuilds.incrementAndGet();
                LOG.infof("Search index rebuilt: %d feed rows in %d ms (%d documents, %d bytes on disk)", indexed,
                        lastRebuildMs, idx.size(), idx.bytesOnDisk());
            }
            ready = true;
            return feed.pendingBeyondHorizon(c, cursor.xid(), cursor.seq());
        } catch (SQLException e) {
            throw new IllegalStateException("search index catch-up failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes this replica's index from disk (as if the disk were lost); the next catch-up opens a
     * new one and rebuilds it from PostgreSQL.
     */
    public synchronized void deleteIndex() {
        if (index != null) {
            index.close();
            index = null;
        }
        Path dir = indexDir();
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing to delete
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete the search index in " + dir, e);
        }
    }

    private void apply(Connection c, SearchIndex idx, List<SearchFeed.Change> changes) throws SQLException {
        Set<UUID> messageIds = new LinkedHashSet<>();
        Set<UUID> summaryIds = new LinkedHashSet<>();
        Set<UUID> memoryIds = new LinkedHashSet<>();
        for (SearchFeed.Change ch : changes) {
            switch (ch.kind()) {
                case "MESSAGE" -> messageIds.add(ch.refId());
                case "SUMMARY" -> summaryIds.add(ch.refId());
                default -> memoryIds.add(ch.refId());
            }
        }
        ZoneId zone = time.zone();
        Map<String, SessionRef> touched = new HashMap<>();
        if (!messageIds.isEmpty()) {
            List<SearchFeed.StoredMessage> found = withEmbeddings(c, feed.messages(c, messageIds));
            Set<UUID> seen = new java.util.HashSet<>();
            for (SearchFeed.StoredMessage m : found) {
                seen.add(m.id());
                idx.replace(m.id().toString(), Documents.message(m, zone));
                SessionRef s = SessionRef.of(m, zone);
                touched.put(m.threadId() + "|" + s.key(), s);
            }
            for (UUID id : messageIds) {
                if (!seen.contains(id)) {
                    idx.replace(id.toString(), List.of());
                }
            }
        }
        for (SessionRef s : touched.values()) {
            Instant from = s.day() == null ? null : s.day().atStartOfDay(zone).toInstant();
            Instant to = s.day() == null ? null : s.day().plusDays(1).atStartOfDay(zone).toInstant();
            List<SearchFeed.StoredMessage> users = feed.sessionUserMessages(c, s.threadId(), s.sessionId(), from, to);
            idx.replace(Documents.sessionRef(s.threadId(), s.key()), Documents.session(s.threadId(), s.key(), users));
        }
        if (!summaryIds.isEmpty()) {
            var found = feed.summaries(c, summaryIds);
            List<String> texts = found.stream().map(SearchFeed.StoredSummary::text).toList();
            List<float[]> vectors = embedder.embedPassages(texts.stream().map(Documents::head).toList());
            Set<UUID> seen = new java.util.HashSet<>();
            for (int i = 0; i < found.size(); i++) {
                seen.add(found.get(i).id());
                idx.replace(found.get(i).id().toString(), List.of(Documents.summary(found.get(i), vectors.get(i))));
            }
            summaryIds.stream().filter(id -> !seen.contains(id)).forEach(id -> idx.replace(id.toString(), List.of()));
        }
        if (!memoryIds.isEmpty()) {
            var found = feed.memories(c, memoryIds).stream().filter(SearchFeed.StoredMemory::current).toList();
            List<float[]> vectors = embedder.embedPassages(found.stream().map(SearchFeed.StoredMemory::text).toList());
            Set<UUID> seen = new java.util.HashSet<>();
            for (int i = 0; i < found.size(); i++) {
                seen.add(found.get(i).id());
                idx.replace(found.get(i).id().toString(), List.of(Documents.memory(found.get(i), vectors.get(i))));
            }
            memoryIds.stream().filter(id -> !seen.contains(id)).forEach(id -> idx.replace(id.toString(), List.of()));
        }
    }

    /** {@code messages} with every embedding present: missing ones computed in bulk and written back. */
    private List<SearchFeed.StoredMessage> withEmbeddings(Connection c, List<SearchFeed.StoredMessage> messages)
            throws SQLException {
        List<SearchFeed.StoredMessage> missing = messages.stream()
                .filter(m -> m.embedding() == null && config.search().embedRoles().contains(m.role())).toList();
        if (missing.isEmpty()) {
            return messages;
        }
        List<String> chunks = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (SearchFeed.StoredMessage m : missing) {
            List<String> parts = Chunker.chunks(m.text());
            chunks.addAll(parts);
            counts.add(parts.size());
        }
        List<float[]> vectors = embedder.embedPassages(chunks);
        Map<UUID, byte[]> computed = new HashMap<>();
        int at = 0;
        for (int i = 0; i < missing.size(); i++) {
            computed.put(missing.get(i).id(), Vectors.toBytes(vectors.subList(at, at + counts.get(i))));
            at += counts.get(i);
        }
        feed.saveEmbeddings(c, computed);
        return messages.stream().map(m -> !computed.containsKey(m.id()) ? m : new SearchFeed.StoredMessage(m.id(), m.seq(),
                m.threadId(), m.role(), m.text(), m.createdAt(), m.sessionId(), m.externalId(), computed.get(m.id())))
                .toList();
    }

    /** The session a message belongs to: its imported session, else its day in the owner's zone. */
    record SessionRef(String threadId, String sessionId, LocalDate day) {

        static SessionRef of(SearchFeed.StoredMessage m, ZoneId zone) {
            return m.sessionId() != null ? new SessionRef(m.threadId(), m.sessionId(), null)
                    : new SessionRef(m.threadId(), null, LocalDate.ofInstant(m.createdAt(), zone));
        }

        String key() {
            return Documents.sessionKey(sessionId, day);
        }
    }
}
