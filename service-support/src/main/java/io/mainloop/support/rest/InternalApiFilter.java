package io.mainloop.support.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Guards a service's internal REST API ({@code /api/*}: memory-, agent- and scheduler-service,
 * called only by the gateway) with a shared token: with {@code mainloop.internal-api.token} set
 * ({@code MAINLOOP_INTERNAL_API_TOKEN}), a request to {@code /api} without
 * {@code Authorization: Bearer <that token>} is answered 401 with an RFC 9457 problem body.
 * {@code /mcp} (checked by its own per-caller tokens) and {@code /q} are left alone, so a
 * sub-agent's pod that may reach {@code /mcp} cannot read the task API. Unset (the tests'
 * default), the API is open and only the bind address guards it (loopback under {@code ./mainloop up}).
 * The gateway sends the token ({@code mainloop.gateway.internal-api-token}); it never sets this property itself.
 */
@ApplicationScoped
public class InternalApiFilter {

    /** Runs early (higher runs first), before any route of the API. */
    static final int PRIORITY = 200;

    private static final String REFUSAL = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"this API is for mainloop's gateway: it needs the internal API token\"}";

    @ConfigProperty(name = "mainloop.internal-api.token")
    Optional<String> token;

    void register(@Observes Filters filters) {
        String expected = token.map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
        if (expected == null) {
            return;
        }
        filters.register(rc -> filter(rc, expected), PRIORITY);
    }

    private static void filter(RoutingContext rc, String expected) {
        if (!guarded(rc.normalizedPath()) || allowed(rc.request().getHeader(HttpHeaders.AUTHORIZATION), expected)) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(REFUSAL);
    }

    /** Whether {@code path} (normalized) is the internal API: {@code /api} and below. */
    static boolean guarded(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** Whether {@code authorization} is {@code Bearer <expected>} (compared in constant time). */
    static boolean allowed(String authorization, String expected) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
