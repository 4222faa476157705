package io.mainloop.contracts;

/** Where a firing of a schedule runs ({@link ScheduleFired#target()}). */
public enum ScheduleTarget {
    /** A turn in the schedule's thread (the main thread by default), marked as scheduled. */
    THREAD,
    /** An isolated sub-agent task (its result comes back to the thread like any task's). */
    TASK
}
