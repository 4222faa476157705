package io.mainloop.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of gateway-service ({@code mainloop.gateway.*}, or {@code MAINLOOP_GATEWAY_*} variables). */
@ConfigMapping(prefix = "mainloop.gateway")
public interface GatewayConfig {

    /** Largest accepted message text, in bytes of UTF-8; larger posts are refused with 413. */
    @WithDefault("32768")
    int maxMessageBytes();

    /**
     * The owner's token (at least 32 characters, else the gateway does not start), accepted as
     * {@code Authorization: Bearer} and by the login ({@code POST /api/session}); it opens the
     * owner's thread ({@link #threadId()}). {@code ./mainloop up} generates one (kept in
     * {@code $MAINLOOP_DATA_DIR/owner-token}). Optional when Cloudflare Access is on
     * ({@link #access()}); with neither the gateway does not start.
     */
    Optional<String> ownerToken();

    /**
     * The token memory-, agent- and scheduler-service require on their internal API
     * ({@code mainloop.internal-api.token} there; {@code MAINLOOP_GATEWAY_INTERNAL_API_TOKEN} here),
     * sent as {@code Authorization: Bearer} on every call to them; unset: none is sent.
     */
    Optional<String> internalApiToken();

    /**
     * How long an import or a restore may take through the gateway, sending its body included,
     * until memory-service answers (it embeds every imported message first: about 250 messages a
     * second on 2 cores).
     */
    @WithDefault("15m")
    Duration transferTimeout();

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

    /**
     * The owner's main thread: the thread of the owner token and its browser sessions, and of
     * {@link Access#ownerIdentity()}. Every other Access identity has a thread of its own.
     */
    @WithDefault("main")
    String threadId();

    /** Login through Cloudflare Access ({@code mainloop.gateway.access.*}; docs/access.md). */
    Access access();

    /**
     * Cloudflare Access: the gateway verifies the JWT that Access puts on every request it lets
     * through ({@code Cf-Access-Jwt-Assertion}, else the {@code CF_Authorization} cookie) as
     * Cloudflare's "Validate JWTs" page of Cloudflare Zero Trust says, and lets in the identities
     * of {@link #allowedIdentities()}, each to its own thread.
     */
    interface Access {

        /** Whether Access JWTs are accepted; when true, team domain, audience and allowed identities are required. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The team domain, e.g. {@code https://myteam.cloudflareaccess.com} (Zero Trust dashboard:
         * Settings, Custom Pages / Team domain): the tokens' issuer ({@code iss}) and the host of the JWKS.
         */
        Optional<String> teamDomain();

        /** The Access application's Application Audience (AUD) tag(s); a token's {@code aud} must contain one. */
        Optional<List<String>> audience();

        /**
         * Who may come in: e-mail addresses (the token's {@code email}, compared ignoring case) and
         * service-token Client IDs (its {@code common_name}); comma-separated in the environment.
         */
        Optional<List<String>> allowedIdentities();

        /** Where the signing keys are; default {@code <team-domain>/cdn-cgi/access/certs}. */
        Optional<String> jwksUrl();

        /** Allowed clock difference when checking {@code exp}, {@code nbf} and {@code iat} (RFC 7519, 4.1.4-4.1.6). */
        @WithDefault("60s")
        Duration leeway();

        /**
         * The identity that is the owner: it gets the owner's thread ({@link GatewayConfig#threadId()}),
         * so moving from the owner token to Access keeps the thread. Unset: every identity gets its own.
         */
        Optional<String> ownerIdentity();
    }

    /** Interval of SSE keep-alive comments, so proxies keep idle streams open. */
    @WithDefault("25s")
    Duration sseKeepAlive();

    /**
     * Wait before the SSE fan-out's Kafka reader is restarted after it failed; doubled after each
     * failure in a row, up to 30 s.
     */
    @WithDefault("1s")
    Duration streamRestartBackoff();

    /** Web Push to the owner's devices ({@code mainloop.gateway.push.*}; docs/web-push.md). */
    Push push();

    /**
     * Web Push settings: the VAPID key pair (RFC 8292) and subject, and how long a push waits.
     * Without configured keys the gateway generates a pair once and keeps it in its schema
     * ({@code push_vapid}), so every replica signs with the same key.
     */
    interface Push {

        /** Whether the owner's devices get pushes at all; false: no push is sent and {@code /api/push/key} answers 404. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The VAPID public key: the uncompressed P-256 point (65 bytes), base64url without padding, as
         * {@code npx web-push generate-vapid-keys} prints it. Set with {@link #vapidPrivateKey()} or not at all.
         */
        Optional<String> vapidPublicKey();

        /** The VAPID private key: the P-256 scalar (32 bytes), base64url without padding. A secret: never logged. */
        Optional<String> vapidPrivateKey();

        /** The VAPID {@code sub} claim: a {@code mailto:} or {@code https:} URI where a push service can reach the operator. */
        @WithDefault("mailto:owner@localhost")
        String subject();

        /** How long a push service keeps an undelivered push (the {@code TTL} header of RFC 8030, whole seconds). */
        @WithDefault("24h")
        Duration ttl();

        /** Connect and response timeout of one push request. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * Events older than this when they are read (a gateway that was down for longer) are not
         * pushed any more: the owner sees them in the thread.
         */
        @WithDefault("24h")
        Duration maxAge();
    }
}
