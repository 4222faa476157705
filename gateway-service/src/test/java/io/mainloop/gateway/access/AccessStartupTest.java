package io.mainloop.gateway.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.gateway.config.GatewayConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The start-up rule "never no authentication" ({@link AuthenticationMethods}) and how Access
 * identities map to threads ({@link AccessThreads}); plain unit tests, no gateway started.
 */
class AccessStartupTest {

    static final Optional<String> TOKEN = Optional.of("x".repeat(32));

    @Test
    void aGatewayWithNoMethodRefusesToStartAndNamesTheSettings() {
        for (Optional<String> none : List.of(Optional.<String>empty(), Optional.of(""), Optional.of("   "))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> AuthenticationMethods.check(none, access(false, null, null, null)));
            for (String setting : List.of("MAINLOOP_GATEWAY_OWNER_TOKEN", "MAINLOOP_GATEWAY_ACCESS_ENABLED",
                    "MAINLOOP_GATEWAY_ACCESS_TEAM_DOMAIN", "MAINLOOP_GATEWAY_ACCESS_AUDIENCE",
                    "MAINLOOP_GATEWAY_ACCESS_ALLOWED_IDENTITIES")) {
                assertTrue(e.getMessage().contains(setting), e.getMessage());
            }
        }
    }

    @Test
    void accessSwitchedOnWithoutItsSettingsRefusesToStartEvenWithAToken() {
        IllegalStateException all = assertThrows(IllegalStateException.class,
                () -> AuthenticationMethods.check(TOKEN, access(true, null, null, null)));
        assertTrue(all.getMessage().contains("MAINLOOP_GATEWAY_ACCESS_TEAM_DOMAIN"), all.getMessage());
        assertTrue(all.getMessage().contains("MAINLOOP_GATEWAY_ACCESS_AUDIENCE"), all.getMessage());
        assertTrue(all.getMessage().contains("MAINLOOP_GATEWAY_ACCESS_ALLOWED_IDENTITIES"), all.getMessage());
        IllegalStateException noAllowList = assertThrows(IllegalStateException.class, () -> AuthenticationMethods.check(
                Optional.empty(), access(true, "https://myteam.cloudflareaccess.com", List.of("aud"), List.of(" "))));
        assertTrue(noAllowList.getMessage().contains("MAINLOOP_GATEWAY_ACCESS_ALLOWED_IDENTITIES"), noAllowList.getMessage());
        assertFalse(noAllowList.getMessage().contains("MAINLOOP_GATEWAY_ACCESS_TEAM_DOMAIN"), noAllowList.getMessage());
    }

    @Test
    void aShortOwnerTokenStillRefusesToStartBesideAccess() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuthenticationMethods.check(
                Optional.of("short-token"), access(true, "myteam.cloudflareaccess.com", List.of("aud"), List.of("a@b.c"))));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
        assertFalse(e.getMessage().contains("short-token"), "the message never repeats the token");
    }

    @Test
    void eitherOrBothMethodsAreFine() {
        GatewayConfig.Access on = access(true, "https://myteam.cloudflareaccess.com", List.of("aud"), List.of("a@b.c"));
        assertEquals(List.of("owner token"), AuthenticationMethods.check(TOKEN, access(false, null, null, null)));
        assertEquals(List.of("Cloudflare Access"), AuthenticationMethods.check(Optional.empty(), on));
        assertEquals(List.of("owner token", "Cloudflare Access"), AuthenticationMethods.check(TOKEN, on));
    }

    @Test
    void anIdentitysThreadIsStableDerivedAndFreeOfTheAddress() {
        String ada = AccessThreads.threadOf("ada@example.com", Optional.empty(), "main");
        assertTrue(ada.matches("id-[0-9a-f]{24}"), ada);
        assertEquals(ada, AccessThreads.threadOf(" Ada@Example.COM ", Optional.empty(), "main"), "e-mails ignore case");
        assertNotEquals(ada, AccessThreads.threadOf("bob@example.com", Optional.empty(), "main"));
        assertFalse(ada.contains("ada"));
        // SHA-256("ada@example.com"), first 24 hex digits: the same on every replica and release
        assertEquals("id-" + sha256("ada@example.com").substring(0, 24), ada);
        assertEquals("main", AccessThreads.threadOf("Owner@Example.com", Optional.of("owner@example.com"), "main"),
                "the owner's identity keeps the owner's thread");
        assertEquals(ada, AccessThreads.threadOf("ada@example.com", Optional.of("owner@example.com"), "main"));
    }

    @Test
    void theTeamDomainIsTheIssuerWithSchemeAndWithoutSlash() {
        assertEquals("https://myteam.cloudflareaccess.com", AccessVerifier.teamDomain("myteam.cloudflareaccess.com"));
        assertEquals("https://myteam.cloudflareaccess.com", AccessVerifier.teamDomain("https://myteam.cloudflareaccess.com/"));
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GatewayConfig.Access access(boolean enabled, String team, List<String> audience, List<String> allowed) {
        return new GatewayConfig.Access() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Optional<String> teamDomain() {
                return Optional.ofNullable(team);
            }

            @Override
            public Optional<List<String>> audience() {
                return Optional.ofNullable(audience);
            }

            @Override
            public Optional<List<String>> allowedIdentities() {
                return Optional.ofNullable(allowed);
            }

            @Override
            public Optional<String> jwksUrl() {
                return Optional.empty();
            }

            @Override
            public Duration leeway() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Optional<String> ownerIdentity() {
                return Optional.empty();
            }
        };
    }
}
