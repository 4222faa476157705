package io.mainloop.memory.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.Granularity;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PyramidPlanTest {

    @Test
    void theSegmentsCoverEveryDayFromTheFirstToYesterdayExactlyOnce() {
        LocalDate today = LocalDate.parse("2026-11-29");
        for (LocalDate first : List.of(LocalDate.parse("2025-01-17"), LocalDate.parse("2026-10-01"),
                LocalDate.parse("2026-11-25"), today)) {
            List<PyramidPlan.Segment> plan = PyramidPlan.segments(today, first);
            Set<LocalDate> covered = new HashSet<>();
            LocalDate previousStart = today;
            for (PyramidPlan.Segment s : plan) {
                assertTrue(s.start().isBefore(previousStart), "newest first: " + s);
                previousStart = s.start();
                for (LocalDate d = s.start(); d.isBefore(s.end()); d = d.plusDays(1)) {
                    assertTrue(covered.add(d), d + " is covered twice in " + plan);
                }
            }
            for (LocalDate d = first; d.isBefore(today); d = d.plusDays(1)) {
                assertTrue(covered.contains(d), d + " is not covered");
            }
            assertTrue(covered.stream().noneMatch(d -> !d.isBefore(today)), "today is the recent layer's");
        }
    }

    @Test
    void sixDaysThenWeeksToThirtyDaysThenMonths() {
        List<PyramidPlan.Segment> plan = PyramidPlan.segments(LocalDate.parse("2026-11-29"), LocalDate.parse("2025-11-01"));
        assertEquals(List.of(Granularity.DAILY, Granularity.DAILY, Granularity.DAILY, Granularity.DAILY,
                Granularity.DAILY, Granularity.DAILY), plan.subList(0, 6).stream().map(PyramidPlan.Segment::granularity).toList());
        assertEquals(LocalDate.parse("2026-11-23"), plan.get(5).start());
        assertTrue(plan.stream().filter(s -> s.granularity() == Granularity.WEEKLY).count() >= 3);
        assertTrue(plan.stream().filter(s -> s.granularity() == Granularity.MONTHLY).count() >= 11);
        PyramidPlan.Segment march = new PyramidPlan.Segment(Granularity.MONTHLY, LocalDate.parse("2026-03-01"));
        assertTrue(plan.contains(march));
        // March 2026: the 1st (a Sunday), full weeks from the 2nd to the 29th, then the 30th and 31st
        assertEquals(List.of(new PyramidPlan.Segment(Granularity.DAILY, LocalDate.parse("2026-03-01")),
                new PyramidPlan.Segment(Granularity.WEEKLY, LocalDate.parse("2026-03-02")),
                new PyramidPlan.Segment(Granularity.WEEKLY, LocalDate.parse("2026-03-09")),
                new PyramidPlan.Segment(Granularity.WEEKLY, LocalDate.parse("2026-03-16")),
                new PyramidPlan.Segment(Granularity.WEEKLY, LocalDate.parse("2026-03-23")),
                new PyramidPlan.Segment(Granularity.DAILY, LocalDate.parse("2026-03-30")),
                new PyramidPlan.Segment(Granularity.DAILY, LocalDate.parse("2026-03-31"))), march.parts());
    }
}
