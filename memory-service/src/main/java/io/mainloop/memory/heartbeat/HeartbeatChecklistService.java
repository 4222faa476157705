package io.mainloop.memory.heartbeat;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.repository.HeartbeatChecklistRepository;
import io.mainloop.memory.repository.HeartbeatChecklistRepository.Checklist;
import io.mainloop.memory.repository.HeartbeatRunEntity;
import io.mainloop.memory.repository.HeartbeatRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/** The owner's {@code HEARTBEAT.md} and the heartbeats' usage, for the REST API. */
@ApplicationScoped
public class HeartbeatChecklistService {

    @Inject
    HeartbeatChecklistRepository checklists;

    @Inject
    HeartbeatRunRepository runs;

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    /** The thread's checklist; empty (and {@code updatedAt} null) if never written. */
    @Transactional
    public Checklist get(String threadId) {
        return checklists.find(threadId).orElse(new Checklist("", null));
    }

    /**
     * Rewrites the thread's checklist.
     *
     * @throws MemoryRequestException 413 when longer than {@code mainloop.memory.heartbeat.checklist-max-chars}
     */
    @Transactional
    public Checklist put(String threadId, String checklist) {
        if (checklist.length() > config.heartbeat().checklistMaxChars()) {
            throw new MemoryRequestException(413, "HEARTBEAT.md is longer than " + config.heartbeat().checklistMaxChars()
                    + " characters");
        }
        return checklists.put(threadId, checklist, time.now());
    }

    /** The newest heartbeat runs of the thread, newest first. */
    @Transactional
    public List<HeartbeatRunEntity> runs(String threadId, int limit) {
        return runs.newest(threadId, limit);
    }

    /** The thread's heartbeat totals since the start of today (the owner's time zone). */
    @Transactional
    public HeartbeatRunRepository.Totals today(String threadId) {
        return runs.since(threadId, time.startOf(time.today()));
    }
}
