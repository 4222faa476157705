package io.mainloop.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of gateway-service ({@code mainloop.gateway.*}, or {@code MAINLOOP_GATEWAY_*} variables). */
@ConfigMapping(prefix = "mainloop.gateway")
public interface GatewayConfig {

    /** Largest accepted message text, in bytes of UTF-8; larger posts are refused with 413. */
    @WithDefault("32768")
    int maxMessageBytes();

    /**
     * The owner's token (at least 32 characters, else the gateway does not start), accepted as
     * {@code Authorization: Bearer} and by the login ({@code POST /api/session}).
     * {@code ./mainloop up} generates one (kept in {@code $MAINLOOP_DATA_DIR/owner-token}).
     */
    Optional<String> ownerToken();

    /** How long a browser session (the {@code mainloop_session} cookie) lives after the login. */
    @WithDefault("30d")
    Duration sessionLifetime();

    /**
     * Marks the session cookie {@code Secure} whatever the request's scheme. Without it the cookie
     * is {@code Secure} when the request is HTTPS as Quarkus resolved it (see
     * {@code quarkus.http.proxy.*} for a TLS-terminating proxy such as cloudflared).
     */
    @WithDefault("false")
    boolean secureCookies();

    /** The owner's one main thread. */
    @WithDefault("main")
    String threadId();

    /** Interval of SSE keep-alive comments, so proxies keep idle streams open. */
    @WithDefault("25s")
    Duration sseKeepAlive();

    /**
     * Wait before the SSE fan-out's Kafka reader is restarted after it failed; doubled after each
     * failure in a row, up to 30 s.
     */
    @WithDefault("1s")
    Duration streamRestartBackoff();
}
