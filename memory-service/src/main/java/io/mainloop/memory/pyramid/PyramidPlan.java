package io.mainloop.memory.pyramid;

import io.mainloop.contracts.Granularity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Which periods stand for the history before the last 24 hours, newest first: the 6 days before
 * today one by one, then ISO weeks back to 30 days ago, then calendar months back to the first
 * message, with single weeks and days where a month or week boundary does not line up. Together
 * they cover every day from the thread's first one to yesterday exactly once.
 */
public final class PyramidPlan {

    /** Days before today summarized day by day. */
    public static final int DAILY_DAYS = 6;
    /** Age in days up to which weeks are used; older history goes by months. */
    public static final int WEEKLY_UNTIL_DAYS = 30;

    /**
     * A period of the plan.
     *
     * @param granularity its kind
     * @param start its first day
     */
    public record Segment(Granularity granularity, LocalDate start) {

        /** The day after it. */
        public LocalDate end() {
            return granularity.endOf(start);
        }

        /** Its finer parts: a month's full ISO weeks and the days of its partial ones; a week's days. */
        public List<Segment> parts() {
            List<Segment> parts = new ArrayList<>();
            switch (granularity) {
                case DAILY -> {
                }
                case WEEKLY -> {
                    for (LocalDate d = start; d.isBefore(end()); d = d.plusDays(1)) {
                        parts.add(new Segment(Granularity.DAILY, d));
                    }
                }
                case MONTHLY -> {
                    LocalDate d = start;
                    while (d.isBefore(end())) {
                        LocalDate weekStart = Granularity.WEEKLY.startOf(d);
                        if (weekStart.equals(d) && !Granularity.WEEKLY.endOf(d).isAfter(end())) {
                            parts.add(new Segment(Granularity.WEEKLY, d));
                            d = d.plusWeeks(1);
                        } else {
                            parts.add(new Segment(Granularity.DAILY, d));
                            d = d.plusDays(1);
                        }
                    }
                }
            }
            return parts;
        }

        /** A human label: {@code 2026-03-02}, {@code week of 2026-03-02}, {@code 2026-03}. */
        public String label() {
            return granularity.label(start);
        }
    }

    private PyramidPlan() {
    }

    /**
     * The segments covering {@code [firstDay, today)}, newest first; empty if {@code firstDay} is
     * today or later.
     */
    public static List<Segment> segments(LocalDate today, LocalDate firstDay) {
        List<Segment> out = new ArrayList<>();
        LocalDate cursor = today;
        LocalDate dailyLimit = today.minusDays(DAILY_DAYS);
        while (cursor.isAfter(firstDay) && cursor.isAfter(dailyLimit)) {
            cursor = cursor.minusDays(1);
            out.add(new Segment(Granularity.DAILY, cursor));
        }
        LocalDate weeklyLimit = today.minusDays(WEEKLY_UNTIL_DAYS);
        while (cursor.isAfter(firstDay) && cursor.isAfter(weeklyLimit)) {
            LocalDate week = Granularity.WEEKLY.startOf(cursor.minusDays(1));
            if (Granularity.WEEKLY.endOf(week).equals(cursor)) {
                out.add(new Segment(Granularity.WEEKLY, week));
                cursor = week;
            } else {
                cursor = cursor.minusDays(1);
                out.add(new Segment(Granularity.DAILY, cursor));
            }
        }
        while (cursor.isAfter(firstDay)) {
            LocalDate month = Granularity.MONTHLY.startOf(cursor.minusDays(1));
            LocalDate week = Granularity.WEEKLY.startOf(cursor.minusDays(1));
            if (Granularity.MONTHLY.endOf(month).equals(cursor)) {
                out.add(new Segment(Granularity.MONTHLY, month));
                cursor = month;
            } else if (!week.isBefore(month) && Granularity.WEEKLY.endOf(week).equals(cursor)) {
                out.add(new Segment(Granularity.WEEKLY, week));
                cursor = week;
            } else {
                cursor = cursor.minusDays(1);
                out.add(new Segment(Granularity.DAILY, cursor));
            }
        }
        return out;
    }
}
