package io.mainloop.contracts;

/**
 * Kafka topic names of the main thread. Every record is keyed by its thread id, so all events of
 * one thread stay in one partition and in order. Documented in {@code docs/events.md}.
 */
public final class Topics {

    /** gateway -> memory: a user's message was accepted ({@link MessageAccepted}). */
    public static final String CONVERSATION_INBOUND = "mainloop.conversation.inbound";

    /** memory -> agent: a turn to run, with its assembled context ({@link TurnRequested}). */
    public static final String AGENT_TURNS = "mainloop.agent.turns";

    /** agent -> gateway and memory: what happens while a turn runs ({@link AgentEvent}). */
    public static final String AGENT_EVENTS = "mainloop.agent.events";

    /** gateway -> every agent-service replica: commands such as cancel ({@link AgentCommand}). */
    public static final String AGENT_COMMANDS = "mainloop.agent.commands";

    /** memory -> gateway: a message was stored ({@link ConversationEvent}). */
    public static final String CONVERSATION_EVENTS = "mainloop.conversation.events";

    /** memory -> agent: a summary of the memory pyramid to write ({@link SummaryRequested}). */
    public static final String AGENT_SUMMARIES = "mainloop.agent.summaries";

    /** agent -> memory: a written summary, or why it could not be written ({@link SummaryResult}). */
    public static final String AGENT_SUMMARY_RESULTS = "mainloop.agent.summary-results";

    /** scheduler (or anyone) -> memory: compact a thread now ({@link CompactionRequested}). */
    public static final String MEMORY_COMPACTION = "mainloop.memory.compaction";

    /** agent -> memory and gateway: what happens to sub-agent tasks ({@link TaskEvent}). */
    public static final String TASK_EVENTS = "mainloop.tasks.events";

    /** scheduler -> memory (and agent): a schedule fired, run its prompt ({@link ScheduleFired}). */
    public static final String SCHEDULE_FIRED = "mainloop.schedule.fired";

    /**
     * Dead-letter topic: records a consumer could not read, with the original key and value and
     * SmallRye's {@code dead-letter-*} headers (reason, topic, partition, offset).
     */
    public static final String DEAD_LETTER = "mainloop.dead-letter";

    /** All topics, in the order they are created by the local stack. */
    public static final java.util.List<String> ALL =
            java.util.List.of(CONVERSATION_INBOUND, AGENT_TURNS, AGENT_EVENTS, AGENT_COMMANDS, CONVERSATION_EVENTS,
                    AGENT_SUMMARIES, AGENT_SUMMARY_RESULTS, MEMORY_COMPACTION, TASK_EVENTS, SCHEDULE_FIRED,
                    DEAD_LETTER);

    private Topics() {
    }
}
