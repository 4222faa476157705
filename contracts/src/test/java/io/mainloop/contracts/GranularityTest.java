package io.mainloop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class GranularityTest {

    @Test
    void periodsFollowTheCalendarAndIsoWeeks() {
        LocalDate sunday = LocalDate.parse("2026-03-08");
        assertEquals(LocalDate.parse("2026-03-02"), Granularity.WEEKLY.startOf(sunday));
        assertEquals(LocalDate.parse("2026-03-09"), Granularity.WEEKLY.endOf(Granularity.WEEKLY.startOf(sunday)));
        assertEquals(LocalDate.parse("2026-03-01"), Granularity.MONTHLY.startOf(sunday));
        assertEquals(LocalDate.parse("2026-04-01"), Granularity.MONTHLY.endOf(LocalDate.parse("2026-03-01")));
        assertEquals("2026-03", Granularity.MONTHLY.label(LocalDate.parse("2026-03-01")));
        assertEquals(LocalDate.parse("2026-12-28"), Granularity.WEEKLY.startOf(LocalDate.parse("2027-01-03")));
    }
}
