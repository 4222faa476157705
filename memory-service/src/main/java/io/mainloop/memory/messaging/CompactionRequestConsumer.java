package io.mainloop.memory.messaging;

import io.mainloop.contracts.CompactionRequested;
import io.mainloop.memory.compaction.Compactor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.memory.compaction}: compacts the thread now (idempotent: claimed
 * periods are left alone). Processing failures are retried in place.
 */
@ApplicationScoped
public class CompactionRequestConsumer {

    @Inject
    Compactor compactor;

    /** Requests every due summary of the thread. */
    @Incoming("memory-compaction")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onRequest(CompactionRequested request) {
        compactor.catchUp(request.threadId(), false);
    }
}
