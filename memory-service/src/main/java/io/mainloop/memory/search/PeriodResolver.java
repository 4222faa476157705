package io.mainloop.memory.search;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a period named in a query, relative to {@code asOf} in the owner's zone, without a model:
 * "today", "yesterday", "N days/weeks/months/years ago" (with digits or words up to twelve, "a"),
 * "last/this week|month|year|weekend" ("this weekend" on a weekday is the coming one), "last/past N
 * days|weeks|months", "last March", "in March"
 * (the latest March not after asOf), "March 2023", "last Tuesday", "on 2023-03-14". An "ago"
 * period is widened to tolerate loose speech (a day ± 1, a week ± 3 days, a month ± 1 week, a
 * year ± 1 month).
 */
public final class PeriodResolver {

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("a", 1), Map.entry("an", 1),
            Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4),
            Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8),
            Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12),
            Map.entry("a couple of", 2), Map.entry("couple of", 2), Map.entry("a few", 3), Map.entry("few", 3));

    private static final String NUM = "(\\d{1,3}|a couple of|couple of|a few|few|an|a|one|two|three|four|five|six|seven|"
            + "eight|nine|ten|eleven|twelve)";
    private static final String MONTHS = "(january|february|march|april|may|june|july|august|september|october|"
            + "november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
    private static final String DAYS = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";

    private static final Pattern ISO_DAY = Pattern.compile("\\b(\\d{4}-\\d{2}-\\d{2})\\b");
    private static final Pattern AGO = Pattern.compile("\\b" + NUM + "\\s+(day|week|month|year)s?\\s+ago\\b");
    private static final Pattern PAST_N = Pattern.compile("\\b(?:last|past)\\s+" + NUM + "\\s+(day|week|month)s?\\b");
    private static final Pattern RELATIVE = Pattern.compile("\\b(last|this|past|previous)\\s+(week|month|year|weekend)\\b");
    private static final Pattern MONTH_YEAR = Pattern.compile("\\b" + MONTHS + "\\s+(\\d{4})\\b");
    private static final Pattern LAST_MONTH_NAME = Pattern.compile("\\b(?:last|in|during|this past|back in)\\s+" + MONTHS + "\\b");
    private static final Pattern LAST_DAY_NAME = Pattern.compile("\\b(?:last|on|this past)\\s+" + DAYS + "\\b");
    private static final Pattern SIMPLE = Pattern.compile("\\b(today|yesterday|the day before yesterday)\\b");

    private PeriodResolver() {
    }

    /** The period {@code query} names, if any (the first found, most specific patterns first). */
    public static Optional<Period> resolve(String query, Instant asOf, ZoneId zone) {
        if (query == null || query.isBlank()) {
            return Optional.empty();
        }
        String q = query.toLowerCase(Locale.ROOT);
        LocalDate today = LocalDate.ofInstant(asOf, zone);
        Matcher m = ISO_DAY.matcher(q);
        if (m.find()) {
            try {
                LocalDate d = LocalDate.parse(m.group(1));
                return Optional.of(days(d, d.plusDays(1), zone, m.group()));
            } catch (java.time.format.DateTimeParseException ignored) {
                // not a date after all
            }
        }
        m = SIMPLE.matcher(q);
        if (m.find()) {
            LocalDate d = switch (m.group(1)) {
                case "today" -> today;
                case "yesterday" -> today.minusDays(1);
                default -> today.minusDays(2);
            };
            return Optional.of(days(d, d.plusDays(1), zone, m.group()));
        }
        m = AGO.matcher(q);
        if (m.find()) {
            int n = number(m.group(1));
            LocalDate d;
            LocalDate from;
            LocalDate to;
            switch (m.group(2)) {
                case "day" -> {
                    d = today.minusDays(n);
                    from = d.minusDays(1);
                    to = d.plusDays(2);
                }
                case "week" -> {
                    d = today.minusWeeks(n);
                    from = d.minusDays(4);
                    to = d.plusDays(4);
                }
                case "month" -> {
                    d = today.minusMonths(n);
                    from = d.minusDays(10);
                    to = d.plusDays(11);
                }
                default -> {
                    d = today.minusYears(n);
                    from = d.minusMonths(1);
                    to = d.plusMonths(1);
                }
            }
            return Optional.of(days(from, to, zone, m.group()));
        }
        m = PAST_N.matcher(q);
        if (m.find()) {
            int n = number(m.group(1));
            LocalDate from = switch (m.group(2)) {
                case "day" -> today.minusDays(n);
                case "week" -> today.minusWeeks(n);
                default -> today.minusMonths(n);
            };
            return Optional.of(days(from, today.plusDays(1), zone, m.group()));
        }
        m = MONTH_YEAR.matcher(q);
        if (m.find()) {
            LocalDate first = LocalDate.of(Integer.parseInt(m.group(2)), month(m.group(1)), 1);
            return Optional.of(days(first, first.plusMonths(1), zone, m.group()));
        }
        m = RELATIVE.matcher(q);
        if (m.find()) {
            boolean last = !m.group(1).equals("this");
            return Optional.of(switch (m.group(2)) {
                case "week" -> {
                    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    LocalDate start = last ? monday.minusWeeks(1) : monday;
                    yield days(start, start.plusWeeks(1), zone, m.group());
                }
                case "weekend" -> {
                    // "this weekend" on a weekday is the coming one (in the future: it boosts nothing
                    // written so far); on a Saturday or Sunday, the current one
                    boolean weekday = today.getDayOfWeek().getValue() < 6;
                    LocalDate start = last ? today.with(TemporalAdjusters.previous(DayOfWeek.SATURDAY))
                            : weekday ? today.with(TemporalAdjusters.next(DayOfWeek.SATURDAY))
                            : today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY));
                    yield days(start, start.plusDays(2), zone, m.group());
                }
                case "month" -> {
                    LocalDate first = today.withDayOfMonth(1);
                    LocalDate start = last ? first.minusMonths(1) : first;
                    yield days(start, start.plusMonths(1), zone, m.group());
                }
                default -> {
                    LocalDate first = today.withDayOfYear(1);
                    LocalDate start = last ? first.minusYears(1) : first;
                    yield days(start, start.plusYears(1), zone, m.group());
                }
            });
        }
        m = LAST_MONTH_NAME.matcher(q);
        if (m.find()) {
            Month month = month(m.group(1));
            LocalDate first = LocalDate.of(today.getYear(), month, 1);
            boolean strictlyBefore = m.group().startsWith("last");
            if (first.isAfter(today) || (strictlyBefore && first.getMonth() == today.getMonth())) {
                first = first.minusYears(1);
            }
            return Optional.of(days(first, first.plusMonths(1), zone, m.group()));
        }
        m = LAST_DAY_NAME.matcher(q);
        if (m.find()) {
            DayOfWeek day = DayOfWeek.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            LocalDate d = today.with(TemporalAdjusters.previous(day));
            return Optional.of(days(d, d.plusDays(1), zone, m.group()));
        }
        return Optional.empty();
    }

    private static Period days(LocalDate from, LocalDate to, ZoneId zone, String phrase) {
        return new Period(from.atStartOfDay(zone).toInstant(), to.atStartOfDay(zone).toInstant(), phrase.strip());
    }

    private static int number(String word) {
        Integer n = NUMBERS.get(word);
        return n != null ? n : Integer.parseInt(word);
    }

    private static Month month(String name) {
        for (Month month : Month.values()) {
            if (month.name().toLowerCase(Locale.ROOT).startsWith(name.length() >= 3 ? name.substring(0, 3) : name)) {
                return month;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
