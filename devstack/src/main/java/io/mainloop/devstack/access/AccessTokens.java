package io.mainloop.devstack.access;

import java.security.Key;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Test tokens shaped like Cloudflare Access application tokens ("Validate JWTs", Cloudflare Zero
 * Trust): RS256 with a {@code kid}, {@code iss} the team domain, {@code aud} the AUD tag, the user's
 * {@code email}, {@code iat}/{@code nbf}/{@code exp}. Signed by jose4j with the keys of {@link AccessKeys}.
 */
public final class AccessTokens {

    /** The test team domain: the tokens' issuer. */
    public static final String TEAM = "https://myteam.cloudflareaccess.com";
    /** The test application's AUD tag: the tokens' audience. */
    public static final String AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

    private AccessTokens() {
    }

    /** A valid token of {@code email}, signed by {@link AccessKeys#K1}. */
    public static String valid(String email) {
        return token(AccessKeys.K1, c -> c.setClaim("email", email));
    }

    /** A token signed by {@code key} (RS256, its kid) with the usual claims, then {@code tweak}ed. */
    public static String token(RsaJsonWebKey key, Consumer<JwtClaims> tweak) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(tweak).toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return serialize(jws);
    }

    /** The usual claims of a user token, then {@code tweak}ed. */
    public static JwtClaims claims(Consumer<JwtClaims> tweak) {
        long now = Instant.now().getEpochSecond();
        JwtClaims c = new JwtClaims();
        c.setIssuer(TEAM);
        c.setAudience(List.of(AUD));
        c.setSubject(UUID.randomUUID().toString());
        c.setClaim("type", "app");
        c.setClaim("identity_nonce", UUID.randomUUID().toString());
        c.setClaim("country", "PT");
        c.setIssuedAt(NumericDate.fromSeconds(now));
        c.setNotBefore(NumericDate.fromSeconds(now));
        c.setExpirationTime(NumericDate.fromSeconds(now + 3600));
        tweak.accept(c);
        return c;
    }

    /** A JWS of {@code claims} with the given algorithm, key and kid (any of them may be wrong on purpose). */
    public static String signed(String alg, Key key, String kid, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        if (key != null) {
            jws.setKey(key);
        }
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
