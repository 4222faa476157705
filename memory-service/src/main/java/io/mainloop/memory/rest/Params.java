package io.mainloop.memory.rest;

import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Parses query and path parameters; bad ones are 400 problems ({@link MemoryRequestException}). */
final class Params {

    private Params() {
    }

    /** A day ({@code YYYY-MM-DD}, its start in the owner's zone) or an ISO instant; {@code fallback} when absent. */
    static Instant instant(String name, String value, TimeSource time, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.length() == 10 ? time.startOf(LocalDate.parse(value)) : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MemoryRequestException(400, name + " must be a day (YYYY-MM-DD) or an ISO instant");
        }
    }

    /** A day ({@code YYYY-MM-DD}); {@code fallback} when absent. */
    static LocalDate day(String name, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (DateTimeParseException e) {
            throw new MemoryRequestException(400, name + " must be a day (YYYY-MM-DD)");
        }
    }

    /** A whole number in {@code [min, max]}; {@code fallback} when absent. */
    static int integer(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new MemoryRequestException(400, name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new MemoryRequestException(400, name + " must be a whole number");
        }
    }

    /** A UUID. */
    static UUID uuid(String name, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MemoryRequestException(400, name + " must be a UUID");
        }
    }
}
