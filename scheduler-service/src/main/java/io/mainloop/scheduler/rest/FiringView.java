package io.mainloop.scheduler.rest;

import java.time.Instant;
import java.util.UUID;

/**
 * A firing started by {@code POST /api/schedules/{id}/run}: its {@code ScheduleFired} event is
 * recorded and on its way to {@code mainloop.schedule.fired}.
 *
 * @param firingId the event's id (and {@code firingId})
 * @param scheduledFor the slot (the moment of the request)
 */
public record FiringView(UUID scheduleId, UUID firingId, Instant scheduledFor, Instant firedAt) {
}
