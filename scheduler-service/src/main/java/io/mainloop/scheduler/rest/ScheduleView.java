package io.mainloop.scheduler.rest;

import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import io.mainloop.scheduler.repository.ScheduleEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A schedule as the API shows it (docs/scheduler.md); absent (null) fields are left out of the JSON.
 *
 * @param cron the Quartz form (seconds first) of a recurring schedule
 * @param runAt the instant of a one-shot
 * @param activeHoursStart {@code HH:mm}, with activeHoursEnd
 * @param builtIn configured by mainloop (the heartbeat): read-only through the API
 * @param nextFireAt when it fires next, as Quartz has it (absent: disabled or done)
 */
public record ScheduleView(UUID id, String threadId, ScheduleKind kind, String title, String prompt, String model,
                           String cron, Instant runAt, String timeZone, boolean enabled, String activeHoursStart,
                           String activeHoursEnd, ScheduleTarget target, ScheduleEntity.CreatedBy createdBy,
                           boolean builtIn, Instant createdAt, Instant updatedAt, Instant lastFiredAt,
                           Instant nextFireAt) {

    /** The view of {@code s}, firing next at {@code nextFireAt}. */
    public static ScheduleView of(ScheduleEntity s, Instant nextFireAt) {
        return new ScheduleView(s.id, s.threadId, s.kind, s.title, s.prompt, s.model, s.cron, s.runAt, s.timeZone,
                s.enabled, s.activeHoursStart == null ? null : s.activeHoursStart.toString(),
                s.activeHoursEnd == null ? null : s.activeHoursEnd.toString(), s.target, s.createdBy, s.builtIn(),
                s.createdAt, s.updatedAt, s.lastFiredAt, nextFireAt);
    }
}
