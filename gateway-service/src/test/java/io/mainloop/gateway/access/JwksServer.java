package io.mainloop.gateway.access;

import io.mainloop.devstack.access.AccessKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Serves the test Cloudflare team's signing keys ({@link AccessKeys}) for the gateway under test:
 * {@code mainloop.gateway.access.jwks-url} points at them.
 */
public class JwksServer implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("mainloop.gateway.access.jwks-url", AccessKeys.start());
    }

    @Override
    public void stop() {
        AccessKeys.stop();
    }
}
