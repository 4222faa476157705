package io.mainloop.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cron conversion and checks, and active hours, without Quarkus. */
class CronSyntaxTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z"); // a Wednesday

    @Test
    void unixCronsBecomeQuartzCrons() {
        assertEquals("0 0 8 ? * 2", CronSyntax.toQuartz("0 8 * * 1"));         // Mondays 08:00
        assertEquals("0 30 9 ? * 2-6", CronSyntax.toQuartz("30 9 * * 1-5"));   // weekdays
        assertEquals("0 0 8 ? * 1,7", CronSyntax.toQuartz("0 8 * * 0,6"));     // weekends (0 = Sunday)
        assertEquals("0 0 8 ? * 1", CronSyntax.toQuartz("0 8 * * 7"));         // 7 = Sunday too
        assertEquals("0 0 9 1 * ?", CronSyntax.toQuartz("0 9 1 * *"));        // the 1st of each month
        assertEquals("0 */15 * * * ?", CronSyntax.toQuartz("*/15 * * * *"));
        assertEquals("0 0 8 ? * MON-FRI", CronSyntax.toQuartz(" 0  8 * * MON-FRI "));
        assertEquals("0 0 8 ? * MON", CronSyntax.toQuartz("0 0 8 ? * MON"));   // Quartz form kept
        // Monday 08:00 in Paris is 07:00 UTC in winter
        assertEquals(List.of(Instant.parse("2026-11-30T07:00:00Z")),
                CronSyntax.next(CronSyntax.toQuartz("0 8 * * 1"), PARIS, NOW, 1));
    }

    @Test
    void badCronsAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSyntax.toQuartz("every monday"))
                .getMessage().contains("fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSyntax.toQuartz("0 8 1 * 1"))
                .getMessage().contains("both day-of-month and day-of-week"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSyntax.toQuartz("0 0 25 ? * MON"))
                .getMessage().contains("not valid"));
        assertThrows(IllegalArgumentException.class, () -> CronSyntax.toQuartz(""));
        // fires only in 2020: never again
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CronSyntax.requireSensible("0 0 8 1 1 ? 2020", PARIS, NOW, Duration.ofMinutes(1)))
                .getMessage().contains("never fires"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CronSyntax.requireSensible("0/10 * * * * ?", PARIS, NOW, Duration.ofMinutes(1)))
                .getMessage().contains("more often"));
        CronSyntax.requireSensible("0 * * * * ?", PARIS, NOW, Duration.ofMinutes(1)); // every minute: fine
    }

    @Test
    void heartbeatIntervalsAreClockAligned() {
        ActiveHours day = ActiveHours.parse("08:00-22:00");
        assertEquals("0 0/30 8-21 * * ?", CronSyntax.every(Duration.ofMinutes(30), day));
        assertEquals("0 0/15 22-23,0-5 * * ?", CronSyntax.every(Duration.ofMinutes(15), ActiveHours.parse("22:00-06:00")));
        assertEquals("0 0/10 * * * ?", CronSyntax.every(Duration.ofMinutes(10), ActiveHours.parse("08:30-22:00")));
        assertEquals("0 0/5 * * * ?", CronSyntax.every(Duration.ofMinutes(5), null));
        assertEquals("0 0 0/2 * * ?", CronSyntax.every(Duration.ofHours(2), day));
        assertEquals("0 0 0 * * ?", CronSyntax.every(Duration.ofHours(24), null));
        assertThrows(IllegalArgumentException.class, () -> CronSyntax.every(Duration.ofMinutes(45), null));
        assertThrows(IllegalArgumentException.class, () -> CronSyntax.every(Duration.ofSeconds(90), null));
        assertThrows(IllegalArgumentException.class, () -> CronSyntax.every(Duration.ofHours(5), null));
    }

    @Test
    void activeHoursIncludeTheStartAndWrapMidnight() {
        ActiveHours day = ActiveHours.parse("08:00-22:00");
        assertTrue(day.contains(LocalTime.of(8, 0)));
        assertTrue(day.contains(LocalTime.of(21, 59)));
        assertFalse(day.contains(LocalTime.of(22, 0)));
        assertFalse(day.contains(LocalTime.of(3, 0)));
        ActiveHours night = ActiveHours.parse("22:00-06:00");
        assertTrue(night.contains(LocalTime.of(23, 30)));
        assertTrue(night.contains(LocalTime.of(5, 59)));
        assertFalse(night.contains(LocalTime.of(12, 0)));
        assertNull(ActiveHours.parse("always"));
        assertThrows(IllegalArgumentException.class, () -> ActiveHours.parse("8-22"));
        assertThrows(IllegalArgumentException.class, () -> ActiveHours.parse("08:00-08:00"));
    }

    @Test
    void theLastEndedPeriodIsTheOneBeforeTheCurrentOne() {
        ZoneId zone = PARIS;
        Instant wednesday = Instant.parse("2026-11-25T13:00:00Z");
        assertEquals("2026-11-24", ScheduleFiring.lastEndedPeriod(io.mainloop.contracts.Granularity.DAILY, wednesday, zone).toString());
        assertEquals("2026-11-16", ScheduleFiring.lastEndedPeriod(io.mainloop.contracts.Granularity.WEEKLY, wednesday, zone).toString());
        assertEquals("2026-10-01", ScheduleFiring.lastEndedPeriod(io.mainloop.contracts.Granularity.MONTHLY, wednesday, zone).toString());
        // just after midnight in Paris, still the previous evening in UTC
        Instant mondayEarly = Instant.parse("2026-11-29T23:05:00Z"); // Monday 2026-11-30 00:05 in Paris
        assertEquals("2026-11-23", ScheduleFiring.lastEndedPeriod(io.mainloop.contracts.Granularity.WEEKLY, mondayEarly, zone).toString());
        assertEquals("2026-11-29", ScheduleFiring.lastEndedPeriod(io.mainloop.contracts.Granularity.DAILY, mondayEarly, zone).toString());
    }
}
