package io.mainloop.scheduler.rest;

import io.mainloop.scheduler.service.ScheduleInput;

/**
 * The body of {@code POST /api/schedules} and {@code PUT /api/schedules/{id}} (a PUT replaces every
 * field; absent ones take their defaults). Rules: see {@link ScheduleInput}.
 *
 * @param prompt required, 1 to 8,000 characters
 * @param cron or runAt, exactly one: a Quartz cron ({@code 0 0 8 ? * MON}) or a 5-field Unix cron ({@code 0 8 * * 1})
 * @param runAt ISO-8601 instant, or local date-time in timeZone; in the future
 * @param timeZone IANA id; default the owner's
 * @param activeHoursStart {@code HH:mm}, with activeHoursEnd; crons only
 * @param kind PROMPT or REMINDER; default by shape (HEARTBEAT: 400)
 * @param target THREAD (default) or TASK
 * @param threadId default {@code main}
 */
public record ScheduleRequest(String title, String prompt, String model, String cron, String runAt, String timeZone,
                              Boolean enabled, String activeHoursStart, String activeHoursEnd, String kind,
                              String target, String threadId) {

    /** As the service's input. */
    public ScheduleInput toInput() {
        return new ScheduleInput(threadId, kind, title, prompt, model, cron, runAt, timeZone, enabled, activeHoursStart,
                activeHoursEnd, target);
    }
}
