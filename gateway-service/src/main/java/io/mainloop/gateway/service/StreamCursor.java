package io.mainloop.gateway.service;

import io.mainloop.contracts.Topics;

/**
 * A position in one thread's event stream: the next offsets to read in the thread's
 * partition of {@code mainloop.conversation.events}, of {@code mainloop.agent.events} and of
 * {@code mainloop.tasks.events}. Every SSE event carries the cursor just after it as its id
 * ({@code c<offset>-a<offset>-t<offset>}), so a client that reconnects with {@code Last-Event-ID}
 * resumes exactly where it stopped.
 *
 * @param conversation next offset in the conversation-events partition
 * @param agent next offset in the agent-events partition
 * @param tasks next offset in the task-events partition; {@link #UNKNOWN} in an id made before
 *              task events were streamed ({@code c<offset>-a<offset>}), see {@link #orElse}
 */
public record StreamCursor(long conversation, long agent, long tasks) {

    /** A position not given in a parsed id. */
    public static final long UNKNOWN = -1;

    private static final java.util.regex.Pattern ID =
            java.util.regex.Pattern.compile("c(\\d{1,18})-a(\\d{1,18})(?:-t(\\d{1,18}))?");

    /** Parses an SSE id made by {@link #toId()} (or the older two-part form); null if it is not one. */
    public static StreamCursor parse(String id) {
        if (id == null) {
            return null;
        }
        var m = ID.matcher(id.trim());
        return m.matches() ? new StreamCursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                m.group(3) == null ? UNKNOWN : Long.parseLong(m.group(3))) : null;
    }

    /** The SSE id form. */
    public String toId() {
        return "c" + conversation + "-a" + agent + "-t" + tasks;
    }

    /** The next offset to read in {@code topic}. */
    public long of(String topic) {
        return switch (topic) {
            case Topics.CONVERSATION_EVENTS -> conversation;
            case Topics.TASK_EVENTS -> tasks;
            default -> agent;
        };
    }

    /** This cursor moved past {@code offset} of {@code topic}. */
    public StreamCursor after(String topic, long offset) {
        return switch (topic) {
            case Topics.CONVERSATION_EVENTS -> new StreamCursor(Math.max(conversation, offset + 1), agent, tasks);
            case Topics.TASK_EVENTS -> new StreamCursor(conversation, agent, Math.max(tasks, offset + 1));
            default -> new StreamCursor(conversation, Math.max(agent, offset + 1), tasks);
        };
    }

    /**
     * This cursor with the positions it does not know taken from {@code now} (an id from before
     * task events were streamed resumes them from now: what it could not have seen is not replayed).
     */
    public StreamCursor orElse(StreamCursor now) {
        return tasks == UNKNOWN ? new StreamCursor(conversation, agent, now.tasks) : this;
    }
}
