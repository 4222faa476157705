package io.mainloop.scheduler.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The clock relative times are resolved with ({@code in: PT2M}, "must be in the future") and the
 * owner's default time zone. One bean, so tests replace it ({@code QuarkusMock}) to move "now"
 * without waiting. Quartz itself fires by the system clock.
 */
@ApplicationScoped
public class TimeSource {

    @Inject
    SchedulerConfig config;

    /** Now: the system clock plus {@code mainloop.scheduler.clock-offset} (0 but in end-to-end tests). */
    public Instant now() {
        return Instant.now().plus(config.clockOffset());
    }

    /**
     * The owner's time zone ({@code mainloop.scheduler.time-zone}, else the system's).
     *
     * @throws java.time.DateTimeException if the configured id is not a time zone
     */
    public ZoneId zone() {
        return config.timeZone().filter(z -> !z.isBlank()).map(ZoneId::of).orElse(ZoneId.systemDefault());
    }
}
