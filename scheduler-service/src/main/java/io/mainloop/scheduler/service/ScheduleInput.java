package io.mainloop.scheduler.service;

/**
 * A schedule as the owner (REST) or the assistant (MCP) describes it, unvalidated; null fields take
 * their defaults. {@link ScheduleService} checks it and answers 400 with a reason otherwise.
 *
 * @param threadId the thread it runs in; default {@code main}
 * @param kind PROMPT or REMINDER (HEARTBEAT is refused); default REMINDER for a one-shot, PROMPT for a cron
 * @param title at most 200 characters; default the prompt's first line, cut to 60 characters
 * @param prompt required, not blank, at most 8,000 characters
 * @param model at most 100 of {@code A-Za-z0-9._:-}; default none (the default model)
 * @param cron a cron (Quartz 6-7 fields or Unix 5 fields, see {@link CronSyntax}); exactly one of cron and runAt
 * @param runAt an ISO-8601 instant ({@code 2026-11-23T08:00:00Z}, or with an offset) or a local date-time
 *     ({@code 2026-11-23T09:00}) in {@code timeZone}; in the future when enabled
 * @param timeZone an IANA zone id; default the owner's ({@code mainloop.scheduler.time-zone})
 * @param enabled default true
 * @param activeHoursStart {@code HH:mm}, with activeHoursEnd, for a cron only; default always
 * @param activeHoursEnd {@code HH:mm} (excluded; before start: wraps midnight)
 * @param target THREAD or TASK; default THREAD
 */
public record ScheduleInput(String threadId, String kind, String title, String prompt, String model, String cron,
                            String runAt, String timeZone, Boolean enabled, String activeHoursStart,
                            String activeHoursEnd, String target) {
}
