package io.mainloop.scheduler.service;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;

/**
 * The hours of the day a recurring schedule may fire in, in its time zone: from {@code start}
 * (included) to {@code end} (excluded); {@code end} before {@code start} wraps midnight
 * ({@code 22:00-06:00}).
 *
 * @param start first minute included
 * @param end first minute excluded, never equal to {@code start}
 */
public record ActiveHours(LocalTime start, LocalTime end) {

    /** @throws IllegalArgumentException if a bound is null or both are equal */
    public ActiveHours {
        if (start == null || end == null || start.equals(end)) {
            throw new IllegalArgumentException("active hours need a start and a different end");
        }
    }

    /** Whether {@code time} lies within them. */
    public boolean contains(LocalTime time) {
        return start.isBefore(end)
                ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }

    /** Whether both bounds are whole hours. */
    boolean wholeHours() {
        return start.getMinute() == 0 && start.getSecond() == 0 && end.getMinute() == 0 && end.getSecond() == 0;
    }

    /** {@code HH:mm-HH:mm}. */
    @Override
    public String toString() {
        return start + "-" + end;
    }

    /**
     * Reads {@code HH:mm-HH:mm}, or {@code always} (and blank) for none.
     *
     * @return the hours, or null for always
     * @throws IllegalArgumentException if the text is neither
     */
    public static ActiveHours parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equalsIgnoreCase("always")) {
            return null;
        }
        int dash = t.indexOf('-');
        try {
            if (dash < 0) {
                throw new IllegalArgumentException("no '-'");
            }
            return new ActiveHours(LocalTime.parse(t.substring(0, dash).strip()), LocalTime.parse(t.substring(dash + 1).strip()));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("active hours '" + text + "' are not HH:mm-HH:mm (start and end differ) or 'always'");
        }
    }
}
