package io.mainloop.gateway.service;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The one place that decides whether a request comes from the owner: it presents the owner token
 * ({@code Authorization: Bearer <token>}, for API clients such as curl) or the id of a live
 * browser session (the {@code mainloop_session} cookie, see {@link SessionStore}). Compares
 * tokens in constant time; never logs a token or session id. An owner token, when configured,
 * has at least {@value #MIN_TOKEN_LENGTH} characters, else the gateway does not start
 * ({@link io.mainloop.gateway.access.AuthenticationMethods}). Without one (Cloudflare Access
 * alone) nothing is the owner token and no login opens a session.
 */
@ApplicationScoped
public class OwnerAuthenticator {

    /** Fewest characters an owner token may have. */
    public static final int MIN_TOKEN_LENGTH = 32;

    @Inject
    GatewayConfig config;

    @Inject
    SessionStore sessions;

    /**
     * The configured owner token if it has at least {@value #MIN_TOKEN_LENGTH} characters.
     *
     * @throws IllegalStateException naming the variables that set it, if it is missing or shorter
     */
    public static String requireStrongToken(Optional<String> token) {
        String value = token.map(String::trim).orElse("");
        if (value.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("The owner token is " + (value.isEmpty() ? "missing" : "too short ("
                    + value.length() + " characters)") + ": set MAINLOOP_GATEWAY_OWNER_TOKEN (mainloop.gateway.owner-token; "
                    + "./mainloop up passes MAINLOOP_OWNER_TOKEN as it) to at least " + MIN_TOKEN_LENGTH
                    + " characters, e.g. the output of `openssl rand -hex 32`.");
        }
        return value;
    }

    /** Whether {@code presented} is the owner token (constant time; false for null). */
    public boolean isOwnerToken(String presented) {
        if (presented == null || config.ownerToken().filter(t -> !t.isBlank()).isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(presented.trim().getBytes(StandardCharsets.UTF_8),
                config.ownerToken().get().trim().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether a request with these credentials is the owner's: the bearer token, when present,
     * decides alone; otherwise the session cookie must name a live session. Blocking (reads the
     * database) when only a session id is presented.
     *
     * @param bearerToken the token of an {@code Authorization: Bearer} header, or null
     * @param sessionId the {@code mainloop_session} cookie's value, or null
     */
    public boolean isOwner(String bearerToken, String sessionId) {
        if (bearerToken != null) {
            return isOwnerToken(bearerToken);
        }
        return sessionId != null && sessions.isLive(sessionId);
    }
}
