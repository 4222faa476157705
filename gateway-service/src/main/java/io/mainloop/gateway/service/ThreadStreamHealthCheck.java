package io.mainloop.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: DOWN while the SSE fan-out's Kafka reader ({@link ThreadStreamHub}) is not running. */
@Readiness
@ApplicationScoped
public class ThreadStreamHealthCheck implements HealthCheck {

    /** The check's name in {@code /q/health/ready}. */
    public static final String NAME = "Thread stream reader";

    @Inject
    ThreadStreamHub hub;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(hub.isReading()).build();
    }
}
