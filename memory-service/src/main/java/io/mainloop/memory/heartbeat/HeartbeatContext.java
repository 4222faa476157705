package io.mainloop.memory.heartbeat;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.CoreBlockService;
import io.mainloop.memory.pyramid.ContextItem;
import io.mainloop.memory.pyramid.ContextLayer;
import io.mainloop.memory.repository.CoreBlockRepository;
import io.mainloop.memory.repository.HeartbeatChecklistRepository;
import io.mainloop.memory.repository.TaskChangeRepository;
import io.mainloop.memory.repository.TaskChangeRepository.TaskChange;
import io.mainloop.memory.service.TokenEstimator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The light context of a heartbeat turn, not the pyramid: the heartbeat instructions and the core
 * blocks as the system prompt; the checklist ({@code HEARTBEAT.md}), what waits for the owner (open
 * questions, recent failures) and the tasks that changed since the last beat as the prompt. No
 * history, no memories, no summaries: a beat costs what it looks at (docs/scheduler.md).
 */
@ApplicationScoped
public class HeartbeatContext {

    /** Failed tasks older than this no longer count as waiting for the owner. */
    static final Duration FAILURES_SHOWN = Duration.ofDays(7);
    static final int DETAIL_MAX_CHARS = 300;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm");

    /**
     * A heartbeat's context.
     *
     * @param systemPrompt the whole system prompt (instructions and core blocks)
     * @param prompt what the heartbeat looks at
     * @param estimatedTokens estimated size of both, tokens ({@link TokenEstimator})
     * @param layers the same, layer by layer, for the turn's "what it saw" record
     * @param checklistEmpty whether HEARTBEAT.md is missing or blank
     * @param somethingNew whether a task changed since {@code since}
     */
    public record Light(String systemPrompt, String prompt, int estimatedTokens, List<ContextLayer> layers,
                        boolean checklistEmpty, boolean somethingNew) {
    }

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    @Inject
    HeartbeatChecklistRepository checklists;

    @Inject
    CoreBlockRepository coreBlocks;

    @Inject
    TaskChangeRepository taskChanges;

    /**
     * Assembles the context of a heartbeat of {@code threadId} at {@code now}.
     *
     * @param since the last beat that looked (called the model), or null if none did
     */
    public Light assemble(String threadId, Instant since, Instant now) {
        int maxItems = config.heartbeat().maxItems();
        String instructions = config.heartbeat().systemPrompt() + "\nNow: "
                + WHEN.format(ZonedDateTime.ofInstant(now, time.zone())) + " (" + time.zone().getId() + ").";
        List<ContextItem> core = new ArrayList<>();
        StringBuilder system = new StringBuilder(instructions);
        for (String name : CoreBlockService.NAMES) {
            coreBlocks.find(threadId, name).filter(b -> !b.text().isBlank()).ifPresent(b -> {
                system.append("\n\n## ").append(name).append('\n').append(b.text().strip());
                core.add(item("core", name, name, b.text()));
            });
        }

        String checklist = checklists.find(threadId).map(HeartbeatChecklistRepository.Checklist::checklist)
                .map(String::strip).orElse("");
        List<TaskChange> open = taskChanges.open(threadId, now.minus(FAILURES_SHOWN), maxItems);
        List<TaskChange> changed = taskChanges.changedSince(threadId, since, maxItems);

        StringBuilder prompt = new StringBuilder("Heartbeat. ");
        prompt.append("## Checklist (HEARTBEAT.md)\n").append(checklist.isEmpty() ? "(empty)" : checklist).append("\n\n");
        prompt.append("## Waiting for the owner\n");
        if (open.isEmpty()) {
            prompt.append("(nothing)\n");
        }
        for (TaskChange t : open) {
            prompt.append("- task \"").append(t.title()).append("\" ")
                    .append("NeedsInput".equals(t.phase()) ? "asks: " : "failed: ").append(cut(t.detail())).append('\n');
        }
        prompt.append("\n## Tasks changed since ")
                .append(since == null ? "ever" : "the last beat (" + WHEN.format(ZonedDateTime.ofInstant(since, time.zone())) + ")")
                .append('\n');
        if (changed.isEmpty()) {
            prompt.append("(none)\n");
        }
        for (TaskChange t : changed) {
            prompt.append("- \"").append(t.title()).append("\": ").append(t.phase())
                    .append(t.detail() == null || t.detail().isBlank() ? "" : " - " + cut(t.detail())).append('\n');
        }
        String promptText = prompt.toString().strip();

        List<ContextLayer> layers = List.of(
                ContextLayer.of("system", "heartbeat instructions", List.of(item("system", null, "system prompt", instructions))),
                ContextLayer.of("core", "core blocks", core),
                ContextLayer.of("prompt", "checklist, inbox and task changes", List.of(item("heartbeat", null, "heartbeat", promptText))));
        int tokens = layers.stream().mapToInt(ContextLayer::tokens).sum();
        return new Light(system.toString(), promptText, tokens, layers, checklist.isEmpty(), !changed.isEmpty());
    }

    private static ContextItem item(String kind, String id, String label, String text) {
        return new ContextItem(kind, id, label, text, TokenEstimator.estimateMessage(text));
    }

    private static String cut(String text) {
        String t = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return t.length() <= DETAIL_MAX_CHARS ? t : t.substring(0, DETAIL_MAX_CHARS) + "...";
    }
}
