package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import io.mainloop.gateway.service.Caller;
import io.mainloop.gateway.service.OwnerAuthenticator;
import io.mainloop.gateway.service.SessionStore;
import io.mainloop.support.rest.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/**
 * The browser's session. {@code POST /api/session {"token": ...}} checks the owner token, opens a
 * server-side session (see {@link SessionStore}) and answers 204 with its random id as the
 * {@code mainloop_session} cookie (HttpOnly, SameSite=Strict, Path=/, Max-Age = the session
 * lifetime; Secure on HTTPS as Quarkus resolved the request's scheme, which honours
 * {@code X-Forwarded-Proto} only from configured trusted proxies, or always when
 * {@code mainloop.gateway.secure-cookies=true}). The cookie never holds the owner token.
 * {@code GET} answers 200 with who is logged in and how, {@code {"identity","method"}} (401
 * otherwise, from {@link OwnerFilter}): {@code {"identity":"owner","method":"session"}} (or
 * {@code "token"}), or for Cloudflare Access, which has no login here (Cloudflare puts its token on
 * every request), {@code {"identity":"ada@example.com","method":"access"}}, so the web app skips its
 * login form. {@code DELETE} revokes the cookie's session on the server (a copy of the
 * cookie stops working on every replica) and clears the cookie; it answers 204 with or without
 * a session. A blank or missing token is 400 (Bean Validation), a wrong one 401, as problem bodies.
 */
@Path("/api/session")
public class SessionResource {

    @Inject
    GatewayConfig config;

    @Inject
    OwnerAuthenticator owner;

    @Inject
    SessionStore sessions;

    @Inject
    CallerThread caller;

    /** Who is logged in and by which method (see {@link Caller}); the filter refuses everyone else. */
    public record Who(String identity, String method) {
    }

    /** 200 with the caller's identity and method: {@code {"identity","method"}}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Who check() {
        Caller who = caller.caller();
        return new Who(who.identity(), who.method());
    }

    /** Logs in: 204 with the session cookie for the owner token; 400 without a token; 401 for a wrong one. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(@Valid @NotNull(message = "token is required") LoginRequest request,
                          @Context HttpServerRequest http) {
        if (!owner.isOwnerToken(request.token())) {
            return Problem.response(Response.Status.UNAUTHORIZED, "That is not the owner token.");
        }
        String id = sessions.open(config.sessionLifetime());
        return Response.noContent().cookie(cookie(id, (int) Math.min(Integer.MAX_VALUE,
                config.sessionLifetime().toSeconds()), http)).build();
    }

    /** Logs out: revokes the cookie's session, if any, and clears the cookie; always 204. */
    @DELETE
    public Response logout(@CookieParam(OwnerFilter.COOKIE) String sessionId, @Context HttpServerRequest http) {
        sessions.revoke(sessionId);
        return Response.noContent().cookie(cookie("", 0, http)).build();
    }

    private NewCookie cookie(String value, int maxAgeSeconds, HttpServerRequest http) {
        boolean secure = config.secureCookies() || "https".equalsIgnoreCase(http.scheme());
        return new NewCookie.Builder(OwnerFilter.COOKIE).value(value).path("/").maxAge(maxAgeSeconds).httpOnly(true)
                .secure(secure).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
