package io.mainloop.memory.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The clock and the owner's time zone the pyramid counts days, ISO weeks and months in. One bean
 * so tests replace it ({@code QuarkusMock}) to simulate months without sleeping.
 */
@ApplicationScoped
public class TimeSource {

    @Inject
    MemoryConfig config;

    /** Now. */
    public Instant now() {
        return Instant.now();
    }

    /** The owner's time zone ({@code mainloop.memory.time-zone}, else the system's). */
    public ZoneId zone() {
        return config.timeZone().filter(z -> !z.isBlank()).map(ZoneId::of).orElse(ZoneId.systemDefault());
    }

    /** Today in the owner's time zone. */
    public LocalDate today() {
        return LocalDate.ofInstant(now(), zone());
    }

    /** The instant {@code day} begins in the owner's time zone. */
    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone()).toInstant();
    }
}
