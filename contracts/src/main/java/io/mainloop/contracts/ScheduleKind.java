package io.mainloop.contracts;

/**
 * What a schedule is for (scheduler-service, {@link ScheduleFired#kind()}): the built-in
 * heartbeat, a recurring prompt of the owner's or the assistant's, or a one-shot reminder.
 */
public enum ScheduleKind {
    /** The built-in heartbeat: a cheap check-in turn with a light context (never created through the API or MCP). */
    HEARTBEAT,
    /** A recurring prompt (a cron schedule), e.g. "every Monday at 8: plan my week". */
    PROMPT,
    /** A one-shot reminder at a given time, e.g. "remind me tomorrow at 9". */
    REMINDER
}
