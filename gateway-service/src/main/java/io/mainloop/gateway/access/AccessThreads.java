package io.mainloop.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Which thread a Cloudflare Access identity owns. The configured owner identity
 * ({@code mainloop.gateway.access.owner-identity}) gets the owner's thread, so the owner keeps
 * their history when moving from the owner token to Access; every other identity gets
 * {@code id-} and the first 24 hex digits of the SHA-256 of its lower-cased form: stable, the
 * same on every replica, and no e-mail address in a thread id (which shows in service paths and logs).
 */
public final class AccessThreads {

    /** Prefix of a derived thread id. */
    public static final String PREFIX = "id-";

    private AccessThreads() {
    }

    /**
     * The thread of {@code identity}.
     *
     * @param ownerIdentity the identity that is the owner, if configured (compared ignoring case)
     * @param ownerThread the owner's thread id ({@code mainloop.gateway.thread-id})
     */
    public static String threadOf(String identity, Optional<String> ownerIdentity, String ownerThread) {
        String normal = normalize(identity);
        if (ownerIdentity.map(AccessThreads::normalize).filter(normal::equals).isPresent()) {
            return ownerThread;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(hash).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** An identity as it is compared and hashed: trimmed and lower-cased. */
    public static String normalize(String identity) {
        return identity.trim().toLowerCase(Locale.ROOT);
    }
}
