package io.mainloop.gateway.service;

import io.mainloop.contracts.Topics;

/**
 * A position in the owner thread's event stream: the next offsets to read in the thread's
 * partition of {@code mainloop.conversation.events} and of {@code mainloop.agent.events}.
 * Every SSE event carries the cursor just after it as its id ({@code c<offset>-a<offset>}),
 * so a client that reconnects with {@code Last-Event-ID} resumes exactly where it stopped.
 *
 * @param conversation next offset in the conversation-events partition
 * @param agent next offset in the agent-events partition
 */
public record StreamCursor(long conversation, long agent) {

    /** Parses an SSE id made by {@link #toId()}; null if it is not one. */
    public static StreamCursor parse(String id) {
        if (id == null) {
            return null;
        }
        var m = java.util.regex.Pattern.compile("c(\\d{1,18})-a(\\d{1,18})").matcher(id.trim());
        return m.matches() ? new StreamCursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }

    /** The SSE id form. */
    public String toId() {
        return "c" + conversation + "-a" + agent;
    }

    /** The next offset to read in {@code topic}. */
    public long of(String topic) {
        return Topics.CONVERSATION_EVENTS.equals(topic) ? conversation : agent;
    }

    /** This cursor moved past {@code offset} of {@code topic}. */
    public StreamCursor after(String topic, long offset) {
        return Topics.CONVERSATION_EVENTS.equals(topic)
                ? new StreamCursor(Math.max(conversation, offset + 1), agent)
                : new StreamCursor(conversation, Math.max(agent, offset + 1));
    }
}
