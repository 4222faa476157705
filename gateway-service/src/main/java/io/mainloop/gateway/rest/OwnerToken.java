package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks a presented owner token against the configured one, in constant time. */
final class OwnerToken {

    private OwnerToken() {
    }

    /** Whether a token is configured and {@code presented} equals it. */
    static boolean matches(GatewayConfig config, String presented) {
        if (presented == null || config.ownerToken().isEmpty() || config.ownerToken().get().isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                config.ownerToken().get().getBytes(StandardCharsets.UTF_8));
    }
}
