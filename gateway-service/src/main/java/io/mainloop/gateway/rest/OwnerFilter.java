package io.mainloop.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.gateway.service.OwnerAuthenticator;
import io.mainloop.support.rest.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Lets only the owner reach {@code /api/*} and the operational endpoints {@code /q/*} (metrics,
 * OpenAPI, Swagger UI); anything else there is answered 401 with a problem body. Open to anyone:
 * the web app ({@code /} and its files), the login and logout ({@code POST} and {@code DELETE
 * /api/session}) and the health probes ({@code /q/health} and {@code /q/health/*}).
 *
 * <p>A Vert.x route filter rather than a JAX-RS filter, because {@code /q/*} are Vert.x routes
 * that JAX-RS filters never see; it runs before every route of the main router, so one check
 * covers both. Whether the credentials are the owner's is decided by {@link OwnerAuthenticator}
 * alone. A session cookie needs a database lookup: that runs on a worker thread while the
 * request is paused (so a body is not lost), never on the event loop.
 */
@ApplicationScoped
public class OwnerFilter {

    /** The cookie that carries the browser's session id (never the owner token). */
    public static final String COOKIE = "mainloop_session";

    /** Runs after {@link ContentSecurityPolicyFilter} (higher runs first), so refusals carry the headers too. */
    static final int PRIORITY = 100;

    private static final Logger LOG = Logger.getLogger(OwnerFilter.class);

    @Inject
    OwnerAuthenticator owner;

    @Inject
    ObjectMapper json;

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        if (!needsOwner(rc.request().method(), rc.normalizedPath())) {
            rc.next();
            return;
        }
        String bearer = bearer(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
        Cookie cookie = rc.request().getCookie(COOKIE);
        String session = cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
        if (bearer != null || session == null) {
            decide(rc, owner.isOwner(bearer, null)); // no database needed
            return;
        }
        rc.request().pause();
        rc.vertx().executeBlocking(() -> owner.isOwner(null, session), false).onComplete(result -> {
            rc.request().resume();
            if (result.failed()) {
                LOG.error("cannot check the session (database)", result.cause());
                refuse(rc, 503, "Service Unavailable", "Sessions cannot be checked right now; try again.");
                return;
            }
            decide(rc, result.result());
        });
    }

    /**
     * Whether {@code path} (normalized: no dot segments) needs the owner's credentials for
     * {@code method}: all of {@code /api} but the login and logout, all of {@code /q} but health.
     */
    static boolean needsOwner(HttpMethod method, String path) {
        if (path.equals("/api") || path.startsWith("/api/")) {
            return !(path.equals("/api/session") && (HttpMethod.POST.equals(method) || HttpMethod.DELETE.equals(method)));
        }
        if (path.equals("/q") || path.startsWith("/q/")) {
            return !(path.equals("/q/health") || path.startsWith("/q/health/"));
        }
        return false;
    }

    private void decide(RoutingContext rc, boolean isOwner) {
        if (isOwner) {
            rc.next();
        } else {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
            refuse(rc, 401, "Unauthorized", "Missing or wrong owner token or session.");
        }
    }

    private void refuse(RoutingContext rc, int status, String title, String detail) {
        String body;
        try {
            body = json.writeValueAsString(new Problem("about:blank", title, status, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }

    private static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }
}
