package io.mainloop.memory.pyramid;

import io.mainloop.contracts.ContextMessage;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.Role;
import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.repository.CoreBlockRepository;
import io.mainloop.memory.repository.MemoryEntity;
import io.mainloop.memory.repository.MemoryRepository;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.SummaryEntity;
import io.mainloop.memory.repository.SummaryRepository;
import io.mainloop.memory.search.ContextRetriever;
import io.mainloop.memory.service.ContextAssembler;
import io.mainloop.memory.service.TokenEstimator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.UUID;

/**
 * Assembles a turn's context from the temporal pyramid, within the token budget
 * ({@code mainloop.memory.context-token-budget}), deterministically, in this order: the system
 * prompt and the core blocks; pinned memories, recent DECISION / FACT / PREFERENCE memories and
 * unexpired HANDOFFs; summaries of older periods ({@link PyramidPlan}: the 6 days before today,
 * ISO weeks back to 30 days, months before that); messages of periods not summarized yet, in
 * full; the last 24 hours in full (tool outputs of all but the last few turns elided); the slots
 * retrieved by searching all history for the new message(s) ({@link ContextRetriever}: top hits not
 * already in the context, within {@code mainloop.memory.search.context-tokens} and the room the
 * other layers left); the slot for sub-agent tasks (empty for now); the new message(s).
 *
 * <p>A period without its summary is never dropped silently: its finer summaries stand in for
 * it, else its messages in full. Over budget, items are dropped in this order (docs/memory.md):
 * MONTHLY summaries oldest first, then WEEKLY, then DAILY, then messages of unsummarized periods
 * oldest first, then messages of the last 24 hours oldest first, then unpinned memories oldest
 * first, then pinned memories. The system prompt, the core blocks and the new messages are never
 * dropped. What was dropped is recorded with the turn.
 */
@ApplicationScoped
public class PyramidContextAssembler implements ContextAssembler {

    /** How the assistant is told to use its memory and its sub-agents; appended to the configured system prompt. */
    static final String MEMORY_RULES = """
            Your memory: you do not remember earlier turns on your own; this context is your memory. It holds \
            your core blocks, the memories saved so far, summaries of older days, weeks and months, and the \
            recent messages in full. Nothing is ever deleted: when a summary is not enough, call recall_period \
            to read the full messages of a day or range, and list_memories to see every memory; to find a \
            detail from any time (a name, a number, what was decided), call search_memory.
            Write-ahead rule: when the owner states a decision, corrects you ("actually, use X"), or gives a \
            name, a number, a date or a preference, call remember (kind DECISION, FACT, PREFERENCE, INSIGHT or \
            HANDOFF) BEFORE you answer. When a memory changes, call supersede with its id; when the owner asks \
            you to forget something, call forget. Keep the persona and owner core blocks current with \
            update_core_block.

            Delegation: you are the main thread and stay responsive. Work that takes more than a minute, or \
            parts that can run side by side, go to sub-agents with spawn_tasks (each a Claude Code agent in \
            its own workspace; give each a complete prompt, they know nothing else of this conversation), \
            not to your own Agent tool; then answer the owner at once. When a task ends its result comes \
            into this thread as an entry marked [from mainloop, not the owner]: report it to the owner in \
            a few lines. A task that asks a question waits in the owner's inbox; relay the owner's answer \
            with answer_task.""";

    private static final int MESSAGE_PAGE = 200;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    @Inject
    MessageRepository messages;

    @Inject
    SummaryRepository summaries;

    @Inject
    MemoryRepository memories;

    @Inject
    CoreBlockRepository coreBlocks;

    @Inject
    ContextRetriever retriever;

    @Override
    public AssembledContext assemble(String threadId, List<MessageEntity> replyTo) {
        Instant now = time.now();
        ZoneId zone = time.zone();
        LocalDate today = LocalDate.ofInstant(now, zone);
        int maxChars = config.messageMaxTokens() * 4;

        ContextItem system = new ContextItem("system", null, "system prompt", systemText(),
                TokenEstimator.estimateMessage(systemText()));
        List<ContextItem> core = new ArrayList<>();
        for (String name : List.of("persona", "owner")) {
            coreBlocks.find(threadId, name).filter(b -> !b.text().isBlank()).ifPresent(b ->
                    core.add(new ContextItem("core", name, name, b.text(), TokenEstimator.estimateMessage(b.text()))));
        }
        List<ContextItem> prompt = replyTo.stream().map(m -> messageItem(m, true, maxChars, zone)).toList();
        int fixed = system.tokens() + sum(core) + sum(prompt);
        ContextBudget budget = new ContextBudget(config.contextTokenBudget() - fixed);

        // keep order: pinned memories, other memories, recent messages, unsummarized messages, DAILY, WEEKLY, MONTHLY
        List<ContextItem> memoryItems = new ArrayList<>();
        List<MemoryEntity> pinned = memories.pinned(threadId, now, 100);
        List<MemoryEntity> others = new ArrayList<>(memories.recent(threadId,
                List.of(MemoryEntity.Kind.DECISION, MemoryEntity.Kind.FACT, MemoryEntity.Kind.PREFERENCE), now,
                config.memoriesInContext()));
        others.addAll(memories.recent(threadId, List.of(MemoryEntity.Kind.HANDOFF), now, config.memoriesInContext()));
        others.sort(Comparator.comparing((MemoryEntity m) -> m.createdAt).reversed().thenComparing(m -> m.id));
        for (MemoryEntity m : pinned) {
            offer(budget, memoryItem(m, zone), memoryItems);
        }
        for (MemoryEntity m : others) {
            offer(budget, memoryItem(m, zone), memoryItems);
        }

        Instant recentFrom = now.minus(Duration.ofHours(24));
        List<UUID> excluded = replyTo.stream().map(m -> m.id).toList();
        List<ContextMessage> recentMessages = new ArrayList<>();
        List<ContextItem> recentItems = new ArrayList<>();
        loadNewestFirst(threadId, recentFrom, now, excluded, budget, maxChars, zone, config.toolOutputTurns(),
                recentItems, recentMessages, "messages of the last 24 hours");

        List<Piece> pieces = resolve(threadId, PyramidPlan.segments(today, firstDay(threadId, zone, today)));
        List<ContextItem> unsummarizedItems = new ArrayList<>();
        List<ContextMessage> unsummarizedMessages = new ArrayList<>();
        for (Piece piece : pieces) {
            if (piece.summary() == null) {
                Instant from = time.startOf(piece.segment().start());
                Instant to = min(time.startOf(piece.segment().end()), recentFrom);
                if (from.isBefore(to)) {
                    loadNewestFirst(threadId, from, to, excluded, budget, maxChars, zone, 0, unsummarizedItems,
                            unsummarizedMessages, "messages of " + piece.segment().label() + " (not summarized yet)");
                }
            }
        }
        List<ContextItem> summaryItems = new ArrayList<>();
        for (Granularity g : List.of(Granularity.DAILY, Granularity.WEEKLY, Granularity.MONTHLY)) {
            for (Piece piece : pieces) {
                if (piece.summary() != null && piece.summary().granularity == g) {
                    offer(budget, summaryItem(piece.summary()), summaryItems);
                }
            }
        }

        // context order: oldest first within each layer
        Map<String, LocalDate> starts = new HashMap<>();
        pieces.stream().filter(p -> p.summary() != null)
                .forEach(p -> starts.put(p.summary().id.toString(), p.segment().start()));
        List<ContextItem> orderedSummaries = summaryItems.stream()
                .sorted(Comparator.comparing((ContextItem i) -> starts.get(i.id()))).toList();
        Set<String> inContext = new HashSet<>();
        for (List<ContextItem> layer : List.of(memoryItems, summaryItems, unsummarizedItems, recentItems, prompt)) {
            layer.forEach(i -> inContext.add(i.id()));
        }
        int used = fixed + sum(memoryItems) + sum(summaryItems) + sum(unsummarizedItems) + sum(recentItems);
        String newText = replyTo.stream().map(m -> m.text).collect(Collectors.joining("\n"));
        List<ContextItem> retrieved = retriever.retrieve(threadId, newText, inContext,
                config.contextTokenBudget() - used);
        List<ContextLayer> layers = List.of(
                ContextLayer.of("system", "System prompt", List.of(system)),
                ContextLayer.of("core", "Core blocks", core),
                ContextLayer.of("memories", "Memories", memoryItems),
                ContextLayer.of("summaries", "Summaries of earlier periods", orderedSummaries),
                ContextLayer.of("unsummarized", "Earlier messages not summarized yet", reversed(unsummarizedItems)),
                ContextLayer.of("recent", "The last 24 hours", reversed(recentItems)),
                ContextLayer.of("retrieved", "Retrieved from search", retrieved),
                ContextLayer.of("tasks", "Active sub-agent tasks", List.of()),
                ContextLayer.of("prompt", "New message(s)", prompt));
        List<ContextMessage> inFull = new ArrayList<>(reversed(unsummarizedMessages));
        inFull.addAll(reversed(recentMessages));
        int total = layers.stream().mapToInt(ContextLayer::tokens).sum();
        return new AssembledContext(render(system, core, memoryItems, orderedSummaries, retrieved), inFull, total,
                config.contextTokenBudget(), layers, budget.dropped());
    }

    /** The configured system prompt with the memory rules. */
    String systemText() {
        return config.systemPrompt().strip() + "\n\n" + MEMORY_RULES;
    }

    private void loadNewestFirst(String threadId, Instant from, Instant to, List<UUID> excluded, ContextBudget budget,
                                 int maxChars, ZoneId zone, int toolTurns, List<ContextItem> items,
                                 List<ContextMessage> kept, String what) {
        if (budget.full()) {
            budget.droppedUnloaded(new ContextItem("messages", null, what, null, 0));
            return;
        }
        int answersWithTools = 0;
        for (int offset = 0; ; offset += MESSAGE_PAGE) {
            List<MessageEntity> page = messages.newestBetween(threadId, from, to, excluded, offset, MESSAGE_PAGE);
            for (MessageEntity m : page) {
                boolean withOutputs = m.role == Role.ASSISTANT && answersWithTools < toolTurns;
                if (m.role == Role.ASSISTANT && m.blocks != null && m.blocks.stream().anyMatch(b -> "tool".equals(b.type()))) {
                    answersWithTools++;
                }
                ContextItem item = messageItem(m, withOutputs, maxChars, zone);
                if (!budget.offer(item)) {
                    budget.droppedUnloaded(new ContextItem("messages", null, "older " + what, null, 0));
                    return;
                }
                items.add(item);
                kept.add(new ContextMessage(m.id, m.role, item.text(), m.createdAt));
            }
            if (page.size() < MESSAGE_PAGE) {
                return;
            }
        }
    }

    /** A piece of the plan: a written summary, or a day-or-longer period to show in full. */
    private record Piece(PyramidPlan.Segment segment, SummaryEntity summary) {
    }

    /** Resolves segments (newest first) into written summaries, finer ones standing in for missing ones, and bare periods. */
    private List<Piece> resolve(String threadId, List<PyramidPlan.Segment> segments) {
        List<Piece> out = new ArrayList<>();
        if (segments.isEmpty()) {
            return out;
        }
        Map<PyramidPlan.Segment, SummaryEntity> done = new HashMap<>();
        LocalDate oldest = segments.getLast().start();
        for (SummaryEntity s : summaries.doneSince(threadId, oldest)) {
            done.put(new PyramidPlan.Segment(s.granularity, s.periodStart), s);
        }
        resolveInto(segments, done, out);
        return out;
    }

    private static void resolveInto(List<PyramidPlan.Segment> segments, Map<PyramidPlan.Segment, SummaryEntity> done,
                                    List<Piece> out) {
        for (PyramidPlan.Segment segment : segments) {
            SummaryEntity summary = done.get(segment);
            if (summary != null) {
                out.add(new Piece(segment, summary));
            } else if (segment.granularity() == Granularity.DAILY) {
                out.add(new Piece(segment, null));
            } else {
                resolveInto(reversed(segment.parts()), done, out);
            }
        }
    }

    private LocalDate firstDay(String threadId, ZoneId zone, LocalDate today) {
        Instant first = messages.firstCreatedAt(threadId);
        return first == null ? today : LocalDate.ofInstant(first, zone);
    }

    private String render(ContextItem system, List<ContextItem> core, List<ContextItem> memoryItems,
                          List<ContextItem> summaryItems, List<ContextItem> retrieved) {
        StringBuilder out = new StringBuilder(system.text());
        for (ContextItem block : core) {
            out.append("\n\n## ").append(block.id().equals("persona") ? "Your persona" : "About the owner")
                    .append("\n").append(block.text());
        }
        if (!memoryItems.isEmpty()) {
            out.append("\n\n## Memories (newest first)\n");
            memoryItems.forEach(m -> out.append(m.text()).append('\n'));
        }
        if (!summaryItems.isEmpty()) {
            out.append("\n## Summaries of earlier periods (oldest first; recall_period shows their full messages)\n");
            summaryItems.forEach(s -> out.append("\n### ").append(s.label()).append('\n').append(s.text()).append('\n'));
        }
        if (!retrieved.isEmpty()) {
            out.append("\n## Retrieved from earlier history for the new message (search_memory finds more)\n");
            retrieved.forEach(r -> out.append(r.text()).append('\n'));
        }
        return out.toString().strip();
    }

    private static ContextItem memoryItem(MemoryEntity m, ZoneId zone) {
        String label = m.kind.name().toLowerCase() + " " + LocalDate.ofInstant(m.createdAt, zone);
        String text = "- [" + label + (m.pinned ? ", pinned" : "") + ", id " + m.id + "] " + m.text;
        return new ContextItem("memory", m.id.toString(), label, text, TokenEstimator.estimateMessage(text));
    }

    private static ContextItem summaryItem(SummaryEntity s) {
        String label = switch (s.granularity) {
            case DAILY -> "Day " + s.periodStart;
            case WEEKLY -> "Week of " + s.periodStart;
            case MONTHLY -> "Month " + s.granularity.label(s.periodStart);
        };
        return new ContextItem("summary", s.id.toString(), label, s.text, TokenEstimator.estimateMessage(s.text));
    }

    private static ContextItem messageItem(MessageEntity m, boolean withOutputs, int maxChars, ZoneId zone) {
        String text = MessageRendering.render(m, withOutputs, maxChars);
        return new ContextItem("message", m.id.toString(), MINUTE.withZone(zone).format(m.createdAt) + " "
                + m.role.name().toLowerCase(), text, TokenEstimator.estimateMessage(text));
    }

    private static void offer(ContextBudget budget, ContextItem item, List<ContextItem> kept) {
        if (budget.offer(item)) {
            kept.add(item);
        }
    }

    private static int sum(List<ContextItem> items) {
        return items.stream().mapToInt(ContextItem::tokens).sum();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
