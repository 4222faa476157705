package io.mainloop.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of gateway-service ({@code mainloop.gateway.*}, or {@code MAINLOOP_GATEWAY_*} variables). */
@ConfigMapping(prefix = "mainloop.gateway")
public interface GatewayConfig {

    /** Largest accepted message text, in bytes of UTF-8; larger posts are refused with 413. */
    @WithDefault("32768")
    int maxMessageBytes();

    /**
     * The owner's token, accepted as {@code Authorization: Bearer} or the {@code mainloop_token}
     * cookie. {@code ./mainloop up} generates one (kept in {@code $MAINLOOP_DATA_DIR/owner-token}).
     * Without it every API call is refused.
     */
    Optional<String> ownerToken();

    /** The owner's one main thread. */
    @WithDefault("main")
    String threadId();

    /** Interval of SSE keep-alive comments, so proxies keep idle streams open. */
    @WithDefault("25s")
    java.time.Duration sseKeepAlive();
}
