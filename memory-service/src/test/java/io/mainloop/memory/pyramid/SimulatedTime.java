package io.mainloop.memory.pyramid;

import io.mainloop.memory.config.TimeSource;
import java.time.Instant;
import java.time.ZoneId;

/** A clock the test moves by hand (months pass without sleeping), in a fixed time zone. */
public class SimulatedTime extends TimeSource {

    private volatile Instant now;
    private final ZoneId zone;

    public SimulatedTime(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** Moves the clock to {@code instant}. */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public ZoneId zone() {
        return zone;
    }
}
