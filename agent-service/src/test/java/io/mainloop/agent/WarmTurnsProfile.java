package io.mainloop.agent;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * agent-service with warm turns on (off in the other tests) and a 10 s turn timeout: shared by
 * {@link WarmTurnTest} and {@link TurnTimeoutTest}, so they run on one start of the application.
 * Waiting CLIs are checked only when a test asks ({@code WarmPool.reap(Instant)}).
 */
public class WarmTurnsProfile implements QuarkusTestProfile {

    /** The turn timeout of this profile. */
    public static final int TIMEOUT_S = 10;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mainloop.agent.turn-timeout", TIMEOUT_S + "s",
                "mainloop.agent.warm.enabled", "true",
                "mainloop.agent.warm.max-processes", "2",
                "mainloop.agent.warm.idle-timeout", "5m",
                "mainloop.agent.warm.check", "1h");
    }
}
