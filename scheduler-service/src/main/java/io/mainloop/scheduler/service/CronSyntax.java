package io.mainloop.scheduler.service;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Cron expressions as schedules accept them: Quartz's own (6 or 7 fields, seconds first, {@code ?}
 * in day-of-month or day-of-week, e.g. {@code 0 0 8 ? * MON}) or the classic 5-field Unix form
 * ({@code minute hour day-of-month month day-of-week}, day-of-week 0-7 with 0 and 7 Sunday, e.g.
 * {@code 0 8 * * 1}), which is converted: {@code 0 } is put in front (second 0), a {@code *} in
 * day-of-week (or else in day-of-month) becomes {@code ?}, and day-of-week numbers move to
 * Quartz's 1-7 (Sunday 1). A 5-field cron that restricts both day-of-month and day-of-week is
 * refused (Quartz cannot express "either").
 */
public final class CronSyntax {

    private static final Pattern NUMBER_NOT_STEP = Pattern.compile("(?<![/0-9])([0-7])(?![0-9])");

    private CronSyntax() {
    }

    /**
     * The Quartz form of {@code cron}, validated.
     *
     * @throws IllegalArgumentException with a readable reason if it is not a valid cron
     */
    public static String toQuartz(String cron) {
        String c = cron == null ? "" : cron.strip().replaceAll("\\s+", " ");
        if (c.isEmpty()) {
            throw new IllegalArgumentException("the cron expression is empty");
        }
        String[] fields = c.split(" ");
        String quartz;
        if (fields.length == 5) {
            String dom = fields[2];
            String dow = fields[4];
            if (dow.equals("*") || dow.equals("?")) {
                dow = "?";
            } else if (dom.equals("*") || dom.equals("?")) {
                dom = "?";
                dow = unixDaysOfWeek(dow);
            } else {
                throw new IllegalArgumentException("cron '" + cron + "' restricts both day-of-month and day-of-week; "
                        + "use one of them (or Quartz's 6-field form with '?')");
            }
            quartz = "0 " + fields[0] + " " + fields[1] + " " + dom + " " + fields[3] + " " + dow;
        } else if (fields.length == 6 || fields.length == 7) {
            quartz = c;
        } else {
            throw new IllegalArgumentException("cron '" + cron + "' has " + fields.length + " fields; give 5 (Unix: "
                    + "minute hour day-of-month month day-of-week) or 6-7 (Quartz: second minute hour day-of-month month "
                    + "day-of-week [year], e.g. '0 0 8 ? * MON')");
        }
        try {
            CronExpression.validateExpression(quartz);
        } catch (ParseException e) {
            throw new IllegalArgumentException("cron '" + cron + "' is not valid: " + e.getMessage());
        }
        return quartz;
    }

    /**
     * The next {@code count} fire times of Quartz cron {@code quartz} in {@code zone} after {@code after}.
     *
     * @throws IllegalArgumentException if it is not a valid Quartz cron
     */
    public static List<Instant> next(String quartz, ZoneId zone, Instant after, int count) {
        CronExpression expression;
        try {
            expression = new CronExpression(quartz);
        } catch (ParseException e) {
            throw new IllegalArgumentException("cron '" + quartz + "' is not valid: " + e.getMessage());
        }
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        List<Instant> times = new ArrayList<>();
        Date at = Date.from(after);
        while (times.size() < count) {
            at = expression.getNextValidTimeAfter(at);
            if (at == null) {
                break;
            }
            times.add(at.toInstant());
        }
        return times;
    }

    /**
     * Checks that {@code quartz} fires again after {@code now} and never twice within {@code minInterval}
     * (looking at its next ten fire times).
     *
     * @throws IllegalArgumentException if it never fires or fires too often
     */
    public static void requireSensible(String quartz, ZoneId zone, Instant now, Duration minInterval) {
        List<Instant> times = next(quartz, zone, now, 10);
        if (times.isEmpty()) {
            throw new IllegalArgumentException("cron '" + quartz + "' never fires after " + now);
        }
        for (int i = 1; i < times.size(); i++) {
            if (Duration.between(times.get(i - 1), times.get(i)).compareTo(minInterval) < 0) {
                throw new IllegalArgumentException("cron '" + quartz + "' fires more often than every "
                        + minInterval.toString().substring(2).toLowerCase() + " (mainloop.scheduler.min-interval)");
            }
        }
    }

    /**
     * A clock-aligned Quartz cron firing every {@code every}: a whole number of minutes dividing 60,
     * or of hours dividing 24. With {@code hours} of whole hours and a minute interval, only
     * within those hours.
     *
     * @throws IllegalArgumentException if {@code every} is no such interval
     */
    public static String every(Duration every, ActiveHours hours) {
        long seconds = every.toSeconds();
        if (seconds > 0 && seconds % 60 == 0 && seconds < 3600 && 3600 % seconds == 0) {
            long minutes = seconds / 60;
            String hourField = hours != null && hours.wholeHours() ? hourRange(hours) : "*";
            return "0 0/" + minutes + " " + hourField + " * * ?";
        }
        if (seconds > 0 && seconds % 3600 == 0 && 86400 % seconds == 0) {
            long h = seconds / 3600;
            return h == 24 ? "0 0 0 * * ?" : "0 0 0/" + h + " * * ?";
        }
        throw new IllegalArgumentException("heartbeat interval " + every + " is not a whole number of minutes dividing "
                + "an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 min) or of hours dividing a day (1, 2, 3, 4, 6, 8, 12, 24 h)");
    }

    private static String hourRange(ActiveHours hours) {
        int start = hours.start().getHour();
        int end = hours.end().getHour(); // excluded
        if (start < end) {
            return start + "-" + (end - 1);
        }
        return end == 0 ? start + "-23" : start + "-23,0-" + (end - 1);
    }

    private static String unixDaysOfWeek(String field) {
        Matcher m = NUMBER_NOT_STEP.matcher(field);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Integer.toString(Integer.parseInt(m.group(1)) % 7 + 1));
        }
        m.appendTail(out);
        return out.toString();
    }
}
