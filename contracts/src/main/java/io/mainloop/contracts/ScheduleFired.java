package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A schedule fired (topic {@link Topics#SCHEDULE_FIRED}, from scheduler-service): run its prompt
 * now, as a turn in {@code threadId} or as a sub-agent task ({@code target}). Published once per
 * schedule and slot, through scheduler-service's transactional outbox; a redelivered record has
 * the same {@code eventId}, so consumers dedupe by it (a redelivered firing starts no second turn).
 *
 * @param eventId {@link #firingId(UUID, Instant)} of {@code scheduleId} and {@code scheduledFor}
 * @param scheduleId the schedule (scheduler-service's {@code /api/schedules/{id}})
 * @param firingId the same as {@code eventId}: the idempotency key of this firing
 * @param kind HEARTBEAT, PROMPT (recurring) or REMINDER (one-shot)
 * @param title a short label for the owner (the UI shows it with a clock)
 * @param prompt the instruction to run, at most 8,000 characters
 * @param model the model to run it with, or null for the default
 * @param target THREAD (a turn in the thread) or TASK (a sub-agent task)
 * @param scheduledFor the slot it fired for (a catch-up firing after downtime: the moment it was caught up)
 * @param firedAt when scheduler-service fired it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScheduleFired(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID scheduleId,
                            UUID firingId, ScheduleKind kind, String title, String prompt, String model,
                            ScheduleTarget target, Instant scheduledFor, Instant firedAt) implements ThreadEvent {

    /** Current shape version. */
    public static final int SCHEMA_VERSION = 1;

    /** The deterministic firing id of {@code scheduleId}'s slot {@code scheduledFor}: {@code nameUUID("mainloop/schedule-fired/<scheduleId>/<scheduledFor>")}. */
    public static UUID firingId(UUID scheduleId, Instant scheduledFor) {
        return EventIds.named("schedule-fired", scheduleId, scheduledFor);
    }

    /** A firing of {@code scheduleId} for slot {@code scheduledFor}, fired at {@code firedAt}; its ids are {@link #firingId}. */
    public static ScheduleFired of(String threadId, UUID scheduleId, ScheduleKind kind, String title, String prompt,
                                   String model, ScheduleTarget target, Instant scheduledFor, Instant firedAt) {
        UUID id = firingId(scheduleId, scheduledFor);
        return new ScheduleFired(id, firedAt, SCHEMA_VERSION, threadId, scheduleId, id, kind, title, prompt, model,
                target, scheduledFor, firedAt);
    }
}
