package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/**
 * The browser's session: {@code POST /api/session {"token": ...}} checks the owner token and
 * answers 204 with it as the {@code mainloop_token} cookie (HttpOnly, SameSite=Strict, Secure
 * behind HTTPS, one year), so page scripts never hold it; {@code GET} answers 204 while the
 * cookie is valid (401 otherwise, from {@link OwnerTokenFilter}); {@code DELETE} clears it.
 */
@Path("/api/session")
public class SessionResource {

    /** How long the cookie lives, seconds (one year). */
    static final int COOKIE_MAX_AGE_S = 365 * 24 * 3600;

    @Inject
    GatewayConfig config;

    @GET
    public Response check() {
        return Response.noContent().build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(LoginRequest request, @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
        if (request == null || request.token() == null || request.token().isBlank()) {
            return Problem.response(Response.Status.BAD_REQUEST, "token is required");
        }
        if (!OwnerToken.matches(config, request.token().trim())) {
            return Problem.response(Response.Status.UNAUTHORIZED, "That is not the owner token.");
        }
        return Response.noContent().cookie(cookie(request.token().trim(), COOKIE_MAX_AGE_S, forwardedProto)).build();
    }

    @DELETE
    public Response logout(@HeaderParam("X-Forwarded-Proto") String forwardedProto) {
        return Response.noContent().cookie(cookie("", 0, forwardedProto)).build();
    }

    private static NewCookie cookie(String value, int maxAge, String forwardedProto) {
        return new NewCookie.Builder(OwnerTokenFilter.COOKIE).value(value).path("/").maxAge(maxAge).httpOnly(true)
                .secure("https".equalsIgnoreCase(forwardedProto)).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
