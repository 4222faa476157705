package io.mainloop.memory.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Periods named in queries, resolved against asOf (Tuesday 2025-07-15, 10:00 UTC). */
class PeriodResolverTest {

    static final Instant AS_OF = Instant.parse("2025-07-15T10:00:00Z");
    static final ZoneId UTC = ZoneOffset.UTC;

    static Period resolve(String query) {
        return PeriodResolver.resolve(query, AS_OF, UTC).orElseThrow(() -> new AssertionError("no period in " + query));
    }

    static void assertDays(String query, String from, String to) {
        Period p = resolve(query);
        assertEquals(LocalDate.parse(from).atStartOfDay(UTC).toInstant(), p.from(), query);
        assertEquals(LocalDate.parse(to).atStartOfDay(UTC).toInstant(), p.to(), query);
    }

    @Test
    void namedPeriodsResolveAgainstAsOf() {
        assertDays("what did I say yesterday", "2025-07-14", "2025-07-15");
        assertDays("What did we discuss last March?", "2025-03-01", "2025-04-01");
        assertDays("the trip in July", "2025-07-01", "2025-08-01");
        assertDays("the trip in August", "2024-08-01", "2024-09-01");
        assertDays("last July", "2024-07-01", "2024-08-01");
        assertDays("two weeks ago", "2025-06-27", "2025-07-05");
        assertDays("3 days ago", "2025-07-11", "2025-07-14");
        assertDays("a month ago", "2025-06-05", "2025-06-26");
        assertDays("last week", "2025-07-07", "2025-07-14");
        assertDays("this month", "2025-07-01", "2025-08-01");
        assertDays("last year", "2024-01-01", "2025-01-01");
        assertDays("in the past 10 days", "2025-07-05", "2025-07-16");
        assertDays("march 2023", "2023-03-01", "2023-04-01");
        assertDays("last Friday", "2025-07-11", "2025-07-12");
        assertDays("on 2024-02-29", "2024-02-29", "2024-03-01");
        assertDays("what I did last weekend", "2025-07-12", "2025-07-14");
        assertDays("my plans for this weekend", "2025-07-19", "2025-07-21");
        assertEquals(LocalDate.parse("2025-07-19").atStartOfDay(UTC).toInstant(), PeriodResolver.resolve(
                "this weekend", LocalDate.parse("2025-07-20").atTime(10, 0).toInstant(java.time.ZoneOffset.UTC), UTC)
                .orElseThrow().from(), "this weekend, said on a Sunday");
    }

    @Test
    void queriesWithoutAPeriodHaveNone() {
        assertTrue(PeriodResolver.resolve("what is the name of my cat", AS_OF, UTC).isEmpty());
        assertTrue(PeriodResolver.resolve("I may go paddling", AS_OF, UTC).isEmpty());
    }

    @Test
    void theDenseQueryLeavesOutTheWordsNamingThePeriod() {
        assertEquals("What kitchen appliance did I buy?", dense("What kitchen appliance did I buy 10 days ago?"));
        assertEquals("What did we discuss about the roof?", dense("What did we discuss Last March about the roof?"));
        assertEquals("yesterday", dense("yesterday"), "nothing but the period: kept whole");
        assertEquals("Last week?", dense("Last week?"), "nothing but the period and a mark: kept whole");
        assertEquals("What did the yesterdays band play?", dense("What did the yesterdays band play yesterday?"),
                "the period's words as words, not inside another word");
        assertEquals("what is the name of my cat", dense("what is the name of my cat"));
        assertEquals("What did I buy two weeks ago?", SearchService.denseText("What did I buy two weeks ago?",
                PeriodResolver.resolve("What did I buy two weeks ago?", AS_OF, UTC),
                Ranking.DEFAULT.withDenseWithoutPeriod(false)), "kept when the ranking says so");
    }

    static String dense(String query) {
        return SearchService.denseText(query, PeriodResolver.resolve(query, AS_OF, UTC), Ranking.DEFAULT);
    }
}
