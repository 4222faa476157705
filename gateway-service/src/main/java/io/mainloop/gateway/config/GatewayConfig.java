package io.mainloop.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of gateway-service ({@code mainloop.gateway.*}, or {@code MAINLOOP_GATEWAY_*} variables). */
@ConfigMapping(prefix = "mainloop.gateway")
public interface GatewayConfig {

    /** Largest accepted message text, in bytes of UTF-8; larger posts are refused with 413. */
    @WithDefault("32768")
    int maxMessageBytes();
}
