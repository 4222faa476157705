package io.mainloop.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.gateway.access.AccessThreads;
import io.mainloop.gateway.access.AccessVerifier;
import io.mainloop.gateway.config.GatewayConfig;
import io.mainloop.gateway.service.Caller;
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
 * Lets only authenticated callers reach {@code /api/*} and the operational endpoints {@code /q/*}
 * (metrics, OpenAPI, Swagger UI); anything else there is answered 401 (403 for a valid Cloudflare
 * Access token of an identity that is not allowed) with an RFC 9457 problem body. Open to anyone:
 * the web app ({@code /} and its files), the login and logout ({@code POST} and {@code DELETE
 * /api/session}) and the health probes ({@code /q/health} and {@code /q/health/*}).
 *
 * <p>The ways in, each deciding alone in this order: the owner token as {@code Authorization:
 * Bearer} ({@link OwnerAuthenticator}); when Cloudflare Access is on, its JWT in the
 * {@code Cf-Access-Jwt-Assertion} header or {@code CF_Authorization} cookie
 * ({@link AccessVerifier}, checked on every request: the keys are cached); a browser session
 * opened with the owner token ({@code mainloop_session}). The caller found, with the thread that
 * is theirs, is put on the request as {@link Caller#ATTRIBUTE} (read through {@link CallerThread}).
 *
 * <p>A Vert.x route filter rather than a JAX-RS filter, because {@code /q/*} are Vert.x routes
 * that JAX-RS filters never see; it runs before every route of the main router, so one check
 * covers both. A session needs a database lookup and an Access token may need a JWKS fetch:
 * those run on a worker thread while the request is paused (so a body is not lost), never on the
 * event loop. No token, session id or Access claim is ever logged or echoed.
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
    AccessVerifier access;

    @Inject
    GatewayConfig config;

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
        if (bearer != null) {
            decide(rc, owner.isOwnerToken(bearer) ? new Caller(Caller.OWNER, Caller.TOKEN, config.threadId()) : null);
            return;
        }
        String assertion = access.enabled() ? AccessVerifier.tokenOf(rc.request()) : null;
        if (assertion != null) {
            blocking(rc, () -> {
                try {
                    String identity = access.verify(assertion);
                    return new Caller(identity, Caller.ACCESS, AccessThreads.threadOf(identity,
                            config.access().ownerIdentity(), config.threadId()));
                } catch (AccessVerifier.Refused refused) {
                    return refused;
                }
            }, "Cloudflare Access keys cannot be had right now; try again.");
            return;
        }
        Cookie cookie = rc.request().getCookie(COOKIE);
        String session = cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
        if (session == null) {
            decide(rc, null);
            return;
        }
        blocking(rc, () -> owner.isOwner(null, session) ? new Caller(Caller.OWNER, Caller.SESSION, config.threadId())
                : null, "Sessions cannot be checked right now; try again.");
    }

    /**
     * Runs {@code check} (a {@link Caller}, an {@link AccessVerifier.Refused}, or null for
     * "not authenticated") on a worker thread while the request waits, then decides.
     */
    private void blocking(RoutingContext rc, java.util.concurrent.Callable<Object> check, String unavailable) {
        rc.request().pause();
        rc.vertx().executeBlocking(check, false).onComplete(result -> {
            rc.request().resume();
            if (result.failed()) {
                LOG.errorf("cannot check the caller's credentials: %s", result.cause().getClass().getName());
                refuse(rc, 503, "Service Unavailable", unavailable);
            } else if (result.result() instanceof AccessVerifier.Refused refused) {
                if (refused.status() == 403) {
                    refuse(rc, 403, "Forbidden", refused.getMessage());
                } else {
                    rc.response().putHeader("WWW-Authenticate", "Bearer");
                    refuse(rc, 401, "Unauthorized", refused.getMessage());
                }
            } else {
                decide(rc, (Caller) result.result());
            }
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

    private void decide(RoutingContext rc, Caller caller) {
        if (caller != null) {
            rc.put(Caller.ATTRIBUTE, caller);
            rc.next();
        } else {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
            refuse(rc, 401, "Unauthorized", access.enabled()
                    ? "Missing or wrong owner token, session or Cloudflare Access token."
                    : "Missing or wrong owner token or session.");
        }
    }

    private void refuse(RoutingContext rc, int status, String title, String detail) {
        refuse(rc, json, status, title, detail);
    }

    /** Ends {@code rc}'s response with {@code status} and an RFC 9457 problem body (no route runs after). */
    static void refuse(RoutingContext rc, ObjectMapper json, int status, String title, String detail) {
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
