package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only the owner use {@code /api/*}: the owner token as {@code Authorization: Bearer <token>}
 * or as the {@code mainloop_token} cookie; anything else is answered 401 with a problem body.
 * Compares in constant time; never logs the token.
 */
public class OwnerTokenFilter {

    /** The cookie that carries the owner token. */
    public static final String COOKIE = "mainloop_token";

    @Inject
    GatewayConfig config;

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        if (config.ownerToken().isEmpty() || config.ownerToken().get().isBlank()) {
            return Problem.response(Response.Status.UNAUTHORIZED, "No owner token is configured on this gateway.");
        }
        String presented = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (presented == null) {
            Cookie cookie = request.getCookies().get(COOKIE);
            presented = cookie == null ? null : cookie.getValue();
        }
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                config.ownerToken().get().getBytes(StandardCharsets.UTF_8))) {
            return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED,
                    "Missing or wrong owner token.")).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        return null;
    }

    private static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }
}
