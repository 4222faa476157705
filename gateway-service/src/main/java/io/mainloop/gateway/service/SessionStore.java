package io.mainloop.gateway.service;

import io.mainloop.gateway.repository.OwnerSessionEntity;
import io.mainloop.gateway.repository.OwnerSessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The owner's server-side browser sessions, shared by every gateway replica through the
 * {@code gateway} schema. A session id is 256 random bits (43 characters of unpadded base64url);
 * only its SHA-256 is stored. A session opens the API until it expires or is revoked. Blocking
 * (JDBC): call it off the event loop.
 */
@ApplicationScoped
public class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    OwnerSessionRepository sessions;

    /**
     * Opens a session that lives for {@code lifetime} from now and returns its id (the cookie
     * value). Deletes the sessions that have expired by now first, so the table holds only the
     * logins of the last lifetime.
     */
    @Transactional
    public String open(Duration lifetime) {
        Instant now = Instant.now();
        sessions.deleteExpired(now);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        OwnerSessionEntity session = new OwnerSessionEntity();
        session.idHash = hash(id);
        session.createdAt = now;
        session.expiresAt = now.plus(lifetime);
        sessions.persist(session);
        return id;
    }

    /** Whether {@code id} names a session that is neither expired nor revoked; false for null or garbage. */
    @Transactional
    public boolean isLive(String id) {
        return id != null && !id.isBlank() && id.length() <= 128 && sessions.isLive(hash(id), Instant.now());
    }

    /** Revokes the session {@code id} (a no-op for an unknown id): its cookie opens nothing from now on. */
    @Transactional
    public void revoke(String id) {
        if (id != null && !id.isBlank() && id.length() <= 128) {
            sessions.deleteById(hash(id));
        }
    }

    /** SHA-256 of {@code id}'s UTF-8 bytes, as 64 lower-case hex digits. */
    static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
