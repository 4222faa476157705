package io.mainloop.scheduler;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds (every 100 ms), instead of sleeping for a guessed time. */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Returns {@code value}'s first result that is not null, polling until {@code timeout}.
     *
     * @throws AssertionError naming {@code what} if none came in time
     */
    public static <T> T await(String what, Duration timeout, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T result = value.get();
            if (result != null && !Boolean.FALSE.equals(result)) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
