package io.mainloop.contracts;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The periods of the memory pyramid: a calendar day, an ISO week (Monday to Sunday), a calendar
 * month, all in the owner's time zone. A period is named by its first day.
 */
public enum Granularity {
    /** One calendar day. */
    DAILY,
    /** One ISO-8601 week, Monday to Sunday. */
    WEEKLY,
    /** One calendar month. */
    MONTHLY;

    /** The first day of the period of this granularity that contains {@code day}. */
    public LocalDate startOf(LocalDate day) {
        return switch (this) {
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
        };
    }

    /** The first day after the period that starts on {@code start} (exclusive end). */
    public LocalDate endOf(LocalDate start) {
        return switch (this) {
            case DAILY -> start.plusDays(1);
            case WEEKLY -> start.plusWeeks(1);
            case MONTHLY -> start.plusMonths(1);
        };
    }

    /** A short human label: {@code 2026-03-02}, {@code week of 2026-03-02}, {@code 2026-03}. */
    public String label(LocalDate start) {
        return switch (this) {
            case DAILY -> start.toString();
            case WEEKLY -> "week of " + start;
            case MONTHLY -> start.toString().substring(0, 7);
        };
    }
}
