package io.mainloop.gateway.access;

import io.mainloop.gateway.config.GatewayConfig;
import io.smallrye.jwt.KeyFormat;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * Verifies a Cloudflare Access token as Cloudflare's "Validate JWTs" page (Cloudflare Zero Trust,
 * Identity, Authorization cookie) says: the JWT from the {@value #HEADER} header, else from the
 * {@value #COOKIE} cookie, must be signed with RS256 (RFC 7515) by one of the keys of the team's
 * JWKS ({@code <team-domain>/cdn-cgi/access/certs}), be issued by the team domain ({@code iss}),
 * name the Access application's AUD tag in {@code aud}, and be current: {@code exp}, {@code nbf}
 * and {@code iat} (RFC 7519, 4.1.4-4.1.6) within the configured leeway. The identity is the
 * {@code email} claim, or for a service token (which has none) its {@code common_name}; it must
 * be one of {@code mainloop.gateway.access.allowed-identities} (compared lower-cased).
 *
 * <p>The cryptography and the claim checks are SmallRye JWT's ({@link DefaultJWTParser}, jose4j
 * underneath), never hand-written. Its key cache holds the JWKS for an hour; a token whose
 * {@code kid} is not in the cache makes it fetch the JWKS again at once (Cloudflare rotates its
 * keys), but at most once a minute, so tokens with made-up key ids cannot make the gateway
 * hammer Cloudflare. A fetch is blocking I/O: call {@link #verify} off the event loop. Nothing
 * here logs a token or its claims.
 */
@ApplicationScoped
public class AccessVerifier {

    /** The request header in which Cloudflare Access passes the application token. */
    public static final String HEADER = "Cf-Access-Jwt-Assertion";

    /** The cookie in which Cloudflare Access keeps the application token in a browser. */
    public static final String COOKIE = "CF_Authorization";

    /** The path of a team's signing keys under its team domain. */
    public static final String CERTS_PATH = "/cdn-cgi/access/certs";

    /** How long fetched keys are kept, in minutes (SmallRye JWT's unit). */
    static final int KEY_CACHE_MINUTES = 60;

    /** Least time between two fetches forced by an unknown {@code kid}, in minutes (SmallRye JWT's unit). */
    static final int FORCED_REFRESH_MINUTES = 1;

    /** Keep using the cached keys for this long when a scheduled fetch fails, in minutes. */
    static final int KEEP_KEYS_ON_ERROR_MINUTES = 5;

    private static final Logger LOG = Logger.getLogger(AccessVerifier.class);

    /** Why a token was refused: {@link #status()} 401 (no valid token) or 403 (valid, identity not allowed). */
    public static final class Refused extends Exception {

        private final int status;

        Refused(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }

        /** 401 or 403. */
        public int status() {
            return status;
        }
    }

    @Inject
    GatewayConfig config;

    private volatile JWTParser parser;
    private Set<String> allowed = Set.of();
    private long leewaySeconds;

    @PostConstruct
    void init() {
        GatewayConfig.Access access = config.access();
        if (!access.enabled() || access.teamDomain().isEmpty() || access.audience().isEmpty()) {
            return; // off, or incomplete: AuthenticationMethods stops the start with a message
        }
        String team = teamDomain(access.teamDomain().get());
        leewaySeconds = access.leeway().toSeconds();
        allowed = access.allowedIdentities().orElse(List.of()).stream().filter(s -> !s.isBlank())
                .map(AccessThreads::normalize).collect(Collectors.toUnmodifiableSet());
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setPublicKeyLocation(access.jwksUrl().filter(u -> !u.isBlank()).orElse(team + CERTS_PATH));
        info.setKeyFormat(KeyFormat.JWK);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        info.setIssuedBy(team);
        info.setExpectedAudience(access.audience().get().stream().map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
        info.setClockSkew((int) Math.min(Integer.MAX_VALUE, leewaySeconds));
        info.setRequireNamedPrincipal(false); // a service token's sub is empty; the identity is checked below
        info.setJwksRefreshInterval(KEY_CACHE_MINUTES);
        info.setForcedJwksRefreshInterval(FORCED_REFRESH_MINUTES);
        info.setJwksRetainCacheOnErrorDuration(KEEP_KEYS_ON_ERROR_MINUTES);
        // a factory of its own: its parser caches the key resolver of this configuration only
        parser = new DefaultJWTParser(info, new DefaultJWTCallerPrincipalFactory());
    }

    /** Whether Access tokens are accepted at all ({@code mainloop.gateway.access.enabled}). */
    public boolean enabled() {
        return parser != null;
    }

    /** The Access token a request carries: the {@value #HEADER} header, else the {@value #COOKIE} cookie; null if neither. */
    public static String tokenOf(HttpServerRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        Cookie cookie = request.getCookie(COOKIE);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue().trim();
    }

    /**
     * The identity (lower-cased e-mail, or a service token's Client ID) of a valid token of an allowed identity.
     *
     * @throws Refused 401 when the token is not a valid Access token of this application, 403 when
     *                 it is but its identity is not allowed (the detail never repeats the token)
     */
    public String verify(String token) throws Refused {
        JWTParser current = parser;
        if (current == null) {
            throw new Refused(401, "Cloudflare Access is not enabled on this gateway.");
        }
        requireKeyId(token);
        JsonWebToken jwt;
        try {
            jwt = current.parse(token);
        } catch (ParseException e) {
            LOG.debugf("an Access token was refused: %s", e.getClass().getSimpleName()); // no message: it may quote claims
            throw invalid();
        }
        long issuedAt = jwt.getIssuedAtTime();
        if (issuedAt > Instant.now().getEpochSecond() + leewaySeconds) {
            LOG.debug("an Access token was refused: issued in the future");
            throw invalid(); // RFC 7519 4.1.6; jose4j checks only exp and nbf against the leeway
        }
        Optional<String> identity = claim(jwt, "email").or(() -> claim(jwt, "common_name")).map(AccessThreads::normalize);
        if (identity.isEmpty()) {
            throw new Refused(403, "The Cloudflare Access token names no identity (neither email nor common_name).");
        }
        if (!allowed.contains(identity.get())) {
            LOG.info("an Access identity that is not allowed was refused");
            throw new Refused(403, "This Cloudflare Access identity is not allowed on this gateway.");
        }
        return identity.get();
    }

    /**
     * Cloudflare signs every Access token with a key named by {@code kid} (RFC 7515, 4.1.4); a
     * compact JWS without one is refused before the key cache is asked, so it cannot force a
     * JWKS fetch. Only the header is read here (jose4j); the signature is checked by the parser.
     */
    private static void requireKeyId(String token) throws Refused {
        try {
            JsonWebStructure structure = JsonWebStructure.fromCompactSerialization(token);
            String kid = structure.getKeyIdHeaderValue();
            if (!(structure instanceof JsonWebSignature) || kid == null || kid.isBlank()) {
                LOG.debug("an Access token was refused: no JWS with a key id");
                throw invalid();
            }
        } catch (JoseException | RuntimeException e) {
            LOG.debug("an Access token was refused: unreadable");
            throw invalid();
        }
    }

    private static Optional<String> claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        String text = value == null ? null : value instanceof jakarta.json.JsonString s ? s.getString() : value.toString();
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private static Refused invalid() {
        return new Refused(401, "Missing or invalid Cloudflare Access token.");
    }

    /** The team domain as the tokens' issuer: with {@code https://} when none is given, without a trailing slash. */
    static String teamDomain(String configured) {
        String team = configured.trim();
        if (!team.contains("://")) {
            team = "https://" + team;
        }
        while (team.endsWith("/")) {
            team = team.substring(0, team.length() - 1);
        }
        return team;
    }
}
