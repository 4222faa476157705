package io.mainloop.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Refuses with 413 (an RFC 9457 problem) a request body declared larger than 1 MiB
 * ({@code Content-Length}) anywhere but the bulk uploads ({@code POST /api/import},
 * {@code /api/restore}), before anything reads it and before the caller is authenticated.
 * {@code quarkus.http.limits.max-body-size} (64M) is the limit of those uploads; without this
 * filter every endpoint, the login among them, would read up to 64 MiB into memory. A Vert.x
 * route filter, run after {@link ContentSecurityPolicyFilter} and before {@link OwnerFilter}.
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** Largest body of any other request, bytes (messages are at most 32 KiB). */
    static final long MAX_OTHER_BYTES = 1024 * 1024;

    /** The paths that take bulk bodies, up to {@code quarkus.http.limits.max-body-size}. */
    static final Set<String> BULK = Set.of("/api/import", "/api/restore");

    static final int PRIORITY = 500;

    @Inject
    ObjectMapper json;

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || BULK.contains(rc.normalizedPath()) || declared(length) <= MAX_OTHER_BYTES) {
            rc.next();
            return;
        }
        rc.response().putHeader(HttpHeaders.CONNECTION, "close"); // the unread body is not waited for
        OwnerFilter.refuse(rc, json, 413, "Content Too Large", "the request body is larger than 1 MiB");
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0; // Vert.x refuses a malformed Content-Length itself
        }
    }
}
