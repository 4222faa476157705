package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only the owner use {@code /api/*} (except the login, {@code POST /api/session}): the owner
 * token as {@code Authorization: Bearer <token>} or as the {@code mainloop_token} cookie; anything
 * else is answered 401 with a problem body. The web app itself ({@code /}) needs no token.
 * Compares in constant time; never logs the token.
 */
public class OwnerTokenFilter {

    /** The cookie that carries the owner token. */
    public static final String COOKIE = "mainloop_token";

    @Inject
    GatewayConfig config;

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") || ("/api/session".equals(path) && "POST".equals(request.getMethod()))) {
            return null; // the web app, and the login itself
        }
        if (config.ownerToken().isEmpty() || config.ownerToken().get().isBlank()) {
            return Problem.response(Response.Status.UNAUTHORIZED, "No owner token is configured on this gateway.");
        }
        String presented = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (presented == null) {
            Cookie cookie = request.getCookies().get(COOKIE);
            presented = cookie == null ? null : cookie.getValue();
        }
        if (!OwnerToken.matches(config, presented)) {
            return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED,
                    "Missing or wrong owner token.")).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        return null;
    }

    private static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }
}
