package io.mainloop.scheduler.rest;

import java.util.List;

/** The schedules found, oldest first. */
public record ScheduleList(List<ScheduleView> schedules) {
}
