package io.mainloop.gateway.access;

import io.mainloop.devstack.access.AccessTokens;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A gateway with Cloudflare Access on beside the owner token: the test team domain and AUD tag,
 * four allowed identities (one a service token's Client ID, one the owner), and the signing keys
 * of {@link JwksServer}.
 */
public class AccessProfile implements QuarkusTestProfile {

    /** Maps to the owner's thread ({@code main}). */
    static final String OWNER = "owner@example.com";

    /** A service token's Client ID (the {@code common_name} claim). */
    static final String SERVICE = "7d1c3b2a9e8f.access";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mainloop.gateway.access.enabled", "true",
                "mainloop.gateway.access.team-domain", AccessTokens.TEAM,
                "mainloop.gateway.access.audience", AccessTokens.AUD,
                "mainloop.gateway.access.allowed-identities", "ada@example.com,Bob@Example.com," + OWNER + "," + SERVICE,
                "mainloop.gateway.access.owner-identity", OWNER);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(JwksServer.class));
    }
}
