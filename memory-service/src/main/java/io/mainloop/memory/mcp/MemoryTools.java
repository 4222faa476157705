package io.mainloop.memory.mcp;

import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.CoreBlockService;
import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.memories.MemoryService;
import io.mainloop.memory.pyramid.MessageRendering;
import io.mainloop.memory.repository.MemoryEntity;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.ThreadStateRepository;
import io.mainloop.memory.search.SearchHit;
import io.mainloop.memory.search.SearchQuery;
import io.mainloop.memory.search.SearchService;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The assistant's memory tools (MCP, streamable HTTP at {@code /mcp}; the CLI sees them as
 * {@code mcp__memory__<name>}): remember, forget, supersede, list_memories, recall_period (the
 * zoom-in: full messages of a day or range), search_memory (recall: hybrid search over all history)
 * and update_core_block. Each acts on the calling
 * thread only ({@link McpCaller}); a bad argument is a tool error the model can read and fix.
 */
@ApplicationScoped
public class MemoryTools {

    /** Most characters recall_period returns in one call. */
    static final int RECALL_MAX_CHARS = 60_000;

    @Inject
    McpCaller caller;

    @Inject
    MemoryService memories;

    @Inject
    CoreBlockService coreBlocks;

    @Inject
    MessageRepository messages;

    @Inject
    ThreadStateRepository states;

    @Inject
    TimeSource time;

    @Inject
    SearchService search;

    /** Most hits search_memory returns. */
    static final int SEARCH_MAX_HITS = 20;

    @Tool(name = "remember", description = "Save a memory now, before you answer: a decision, a correction, a name, "
            + "a number, a date or a preference the owner stated. It stays in your context from the next turn on. "
            + "Returns the memory's id.")
    @Transactional
    public String remember(
            @ToolArg(description = "DECISION, FACT, PREFERENCE, INSIGHT or HANDOFF (something to pick up later)") String kind,
            @ToolArg(description = "The memory, one self-contained sentence with names and values") String text,
            @ToolArg(description = "Keep it in context always", defaultValue = "false") boolean pinned) {
        String thread = caller.threadId();
        return call(() -> {
            MemoryEntity m = memories.remember(thread, kind, text, pinned, null, MemoryEntity.Origin.TOOL,
                    currentMessage(thread), null);
            return "Remembered " + m.kind + " " + m.id + ": " + m.text;
        });
    }

    @Tool(name = "forget", description = "Delete a memory for good (when the owner asks you to forget it).")
    @Transactional
    public String forget(@ToolArg(description = "The memory's id") String id) {
        String thread = caller.threadId();
        return call(() -> {
            memories.forget(thread, uuid(id));
            return "Forgot memory " + id + ".";
        });
    }

    @Tool(name = "supersede", description = "Replace a memory that changed (\"actually, use X\"): the old one stays "
            + "visible as superseded, the new one is current. Returns the new memory's id.")
    @Transactional
    public String supersede(@ToolArg(description = "The id of the memory to replace") String id,
                            @ToolArg(description = "The new text") String text,
                            @ToolArg(description = "A new kind, or empty to keep it", defaultValue = "") String kind) {
        String thread = caller.threadId();
        return call(() -> {
            MemoryEntity m = memories.supersede(thread, uuid(id), text, kind, MemoryEntity.Origin.TOOL);
            return "Superseded " + id + " with " + m.kind + " " + m.id + ": " + m.text;
        });
    }

    @Tool(name = "list_memories", description = "List saved memories, newest first (current ones; with "
            + "include_superseded also superseded and expired ones).")
    @Transactional
    public String listMemories(
            @ToolArg(description = "Only this kind (DECISION, FACT, PREFERENCE, INSIGHT, HANDOFF), or empty for all",
                    defaultValue = "") String kind,
            @ToolArg(name = "include_superseded", description = "Also superseded and expired ones",
                    defaultValue = "false") boolean includeSuperseded) {
        String thread = caller.threadId();
        return call(() -> {
            List<MemoryEntity> list = memories.list(thread, kind, includeSuperseded, 500);
            if (list.isEmpty()) {
                return "No memories.";
            }
            StringBuilder out = new StringBuilder();
            for (MemoryEntity m : list) {
                out.append("- [").append(m.kind.name().toLowerCase()).append(", ")
                        .append(LocalDate.ofInstant(m.createdAt, time.zone()))
                        .append(m.pinned ? ", pinned" : "")
                        .append(m.supersededBy != null ? ", superseded by " + m.supersededBy : "")
                        .append(", id ").append(m.id).append("] ").append(m.text).append('\n');
            }
            return out.toString().strip();
        });
    }

    @Tool(name = "recall_period", description = "Read the full messages of an earlier period (zoom into a summary): "
            + "from and to are days (YYYY-MM-DD, in the owner's time zone, both included) or ISO instants. "
            + "Long periods are cut; ask for a shorter range to see the rest.")
    @Transactional
    public String recallPeriod(@ToolArg(description = "First day (YYYY-MM-DD) or instant") String from,
                               @ToolArg(description = "Last day (YYYY-MM-DD, included) or instant; empty: the same day",
                                       defaultValue = "") String to) {
        String thread = caller.threadId();
        return call(() -> {
            Instant start = instant(from, false);
            Instant end = to == null || to.isBlank() ? instant(from, true) : instant(to, true);
            List<MessageEntity> found = messages.between(thread, start, end, 2000);
            if (found.isEmpty()) {
                return "No messages between " + start + " and " + end + ".";
            }
            StringBuilder out = new StringBuilder();
            for (MessageEntity m : found) {
                String entry = MessageRendering.header(m, time.zone()) + "\n" + MessageRendering.render(m, true, 8000)
                        + "\n\n";
                if (out.length() + entry.length() > RECALL_MAX_CHARS) {
                    out.append("[... cut here: ask for the period from ").append(m.createdAt).append(" on]");
                    break;
                }
                out.append(entry);
            }
            return out.toString().strip();
        });
    }

    @Tool(name = "search_memory", description = "Search all of this thread's history (messages of any date, "
            + "summaries, memories) by meaning and by words: for a detail not in your context (a name, a number, "
            + "what was decided or said when). A query may name a period (\"last March\", \"two weeks ago\"). "
            + "Each hit has its date and message id; read the whole day with recall_period.")
    public String searchMemory(@ToolArg(description = "What to look for, in plain words") String query,
                               @ToolArg(description = "Most hits (1-20)", defaultValue = "5") int limit,
                               @ToolArg(description = "Only MESSAGE, SUMMARY or MEMORY (comma-separated), or empty for all",
                                       defaultValue = "") String kind,
                               @ToolArg(description = "Only items written from this day (YYYY-MM-DD) or instant on, or empty",
                                       defaultValue = "") String from,
                               @ToolArg(description = "Only items written up to this day (included) or instant, or empty",
                                       defaultValue = "") String to) {
        String thread = caller.threadId();
        return call(() -> {
            Set<String> kinds = new LinkedHashSet<>();
            for (String k : (kind == null ? "" : kind).split(",")) {
                if (!k.isBlank()) {
                    kinds.add(k.strip().toUpperCase(Locale.ROOT));
                }
            }
            Instant start = from == null || from.isBlank() ? null : instant(from, false);
            Instant end = to == null || to.isBlank() ? null : instant(to, true);
            List<SearchHit> hits = search.search(new SearchQuery(thread, query, Math.max(1, Math.min(SEARCH_MAX_HITS,
                    limit)), start, end, kinds, null, time.now()));
            if (hits.isEmpty()) {
                return "No hits for \"" + query + "\".";
            }
            StringBuilder out = new StringBuilder();
            for (SearchHit h : hits) {
                out.append("- [").append(h.kind().toLowerCase(Locale.ROOT))
                        .append(h.role() != null ? ", " + h.role().toLowerCase(Locale.ROOT) : "")
                        .append(h.sub() != null ? ", " + h.sub().toLowerCase(Locale.ROOT) : "")
                        .append(", ").append(time.zone() == null ? h.date() : java.time.format.DateTimeFormatter
                                .ofPattern("yyyy-MM-dd HH:mm").withZone(time.zone()).format(h.date()))
                        .append(", id ").append(h.id()).append("] ").append(h.plainSnippet()).append('\n');
            }
            return out.toString().strip();
        });
    }

    @Tool(name = "update_core_block", description = "Rewrite a core block, always in your context: persona (who you "
            + "are, how you work) or owner (who the owner is, their preferences). Give the whole new text.")
    @Transactional
    public String updateCoreBlock(@ToolArg(description = "persona or owner") String name,
                                  @ToolArg(description = "The block's whole new text") String text) {
        String thread = caller.threadId();
        return call(() -> {
            coreBlocks.put(thread, name, text);
            return "Updated the " + name + " block.";
        });
    }

    /** The user message the running turn answers, as the memory's source; null if unknown. */
    private UUID currentMessage(String thread) {
        var state = states.findById(thread);
        if (state == null || state.activeTurnId == null) {
            return null;
        }
        return messages.ofTurn(state.activeTurnId).stream().filter(m -> m.role == io.mainloop.contracts.Role.USER)
                .map(m -> m.id).findFirst().orElse(null);
    }

    private Instant instant(String value, boolean endOfDay) {
        String v = value == null ? "" : value.strip();
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return time.startOf(endOfDay ? day.plusDays(1) : day);
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new ToolCallException("'" + value + "' is neither a day (YYYY-MM-DD) nor an ISO instant");
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id == null ? "" : id.strip());
        } catch (IllegalArgumentException e) {
            throw new ToolCallException("'" + id + "' is not a memory id");
        }
    }

    private static String call(Supplier<String> action) {
        try {
            return action.get();
        } catch (MemoryRequestException e) {
            throw new ToolCallException(e.getMessage());
        }
    }
}
