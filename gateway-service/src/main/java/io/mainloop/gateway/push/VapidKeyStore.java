package io.mainloop.gateway.push;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import io.mainloop.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The gateway's VAPID key pair (RFC 8292) and the request builder signing with it. Configured
 * keys ({@code mainloop.gateway.push.vapid-public-key} and {@code -private-key}) win and are
 * checked at start-up (a half or broken pair stops the gateway, naming the problem, never the
 * key). Without them the first use generates a pair and stores it in {@code push_vapid} if none is
 * there yet, so every replica, and every restart, signs with the same key: browsers' subscriptions
 * are bound to it. The private key is never logged.
 */
@ApplicationScoped
public class VapidKeyStore {

    private static final Logger LOG = Logger.getLogger(VapidKeyStore.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    GatewayConfig config;

    @Inject
    PushRepository repository;

    private volatile WebPush webPush;

    void checkConfigured(@Observes StartupEvent ignored) {
        GatewayConfig.Push push = config.push();
        if (push.enabled() && (push.vapidPublicKey().isPresent() || push.vapidPrivateKey().isPresent())) {
            webPush = configured();
        }
        if (push.enabled()) {
            subjectChecked(push.subject());
        }
    }

    /** The application server key browsers subscribe with: the uncompressed P-256 public key, base64url. */
    public String publicKey() {
        return B64.encodeToString(webPush().getVapidKeys().getApplicationServerKey());
    }

    /**
     * The request builder of a push (aes128gcm body, RFC 8291; {@code Authorization: vapid}, RFC 8292)
     * signing with this gateway's key pair; the first call may generate and store the pair.
     *
     * @throws jakarta.persistence.PersistenceException if the pair must be read or stored and the database fails
     */
    public WebPush webPush() {
        WebPush current = webPush;
        if (current == null) {
            synchronized (this) {
                current = webPush;
                if (current == null) {
                    String[] stored = storedOrNew();
                    current = new WebPush(config.push().subject(), keys(stored[0], stored[1]));
                    webPush = current;
                }
            }
        }
        return current;
    }

    /** The stored pair, or a new one stored now if there is none (the first stored wins a race). */
    @Transactional
    String[] storedOrNew() {
        VapidKeys fresh = VapidKeys.generate();
        String[] stored = repository.vapidKeysOr(B64.encodeToString(fresh.getApplicationServerKey()),
                B64.encodeToString(scalar(fresh.getPrivateKey().getS())), Instant.now());
        LOG.infof("VAPID public key for Web Push: %s (kept in the gateway schema)", stored[0]);
        return stored;
    }

    private WebPush configured() {
        GatewayConfig.Push push = config.push();
        if (push.vapidPublicKey().isEmpty() || push.vapidPrivateKey().isEmpty()) {
            throw new IllegalStateException("set both mainloop.gateway.push.vapid-public-key and "
                    + "mainloop.gateway.push.vapid-private-key, or neither (then a key pair is generated)");
        }
        WebPush built = new WebPush(subjectChecked(push.subject()),
                keys(push.vapidPublicKey().get().trim(), push.vapidPrivateKey().get().trim()));
        LOG.infof("VAPID public key for Web Push: %s (configured)", publicKey(built));
        return built;
    }

    /**
     * The key pair of a base64url public key (65-byte uncompressed point) and private key (32-byte
     * scalar), checked to be such a pair.
     *
     * @throws IllegalStateException naming what is wrong (never the key)
     */
    static VapidKeys keys(String publicKey, String privateKey) {
        byte[] pub;
        byte[] priv;
        try {
            pub = Base64.getUrlDecoder().decode(publicKey);
            priv = Base64.getUrlDecoder().decode(privateKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the VAPID keys must be base64url");
        }
        if (pub.length != 65 || pub[0] != 4 || !PushKeys.onCurve(pub)) {
            throw new IllegalStateException("the VAPID public key must be an uncompressed P-256 point (65 bytes)");
        }
        if (priv.length != 32) {
            throw new IllegalStateException("the VAPID private key must be a P-256 scalar (32 bytes)");
        }
        try {
            return VapidKeys.fromUncompressedBytes(publicKey, privateKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the VAPID public and private keys are not one pair");
        }
    }

    /** {@code value} as exactly 32 unsigned big-endian bytes (a P-256 scalar). */
    static byte[] scalar(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int from = Math.max(0, raw.length - 32);
        System.arraycopy(raw, from, out, 32 - (raw.length - from), raw.length - from);
        Arrays.fill(raw, (byte) 0);
        return out;
    }

    private static String publicKey(WebPush built) {
        return B64.encodeToString(built.getVapidKeys().getApplicationServerKey());
    }

    private static String subjectChecked(String subject) {
        // the library writes it into the JWT as is: a mailto: or https: URI without quotes or backslashes
        if (!(subject.startsWith("mailto:") || subject.startsWith("https://")) || subject.contains("\"")
                || subject.contains("\\")) {
            throw new IllegalStateException("mainloop.gateway.push.subject must be a mailto: or https: URI, not '"
                    + subject + "'");
        }
        return subject;
    }
}
