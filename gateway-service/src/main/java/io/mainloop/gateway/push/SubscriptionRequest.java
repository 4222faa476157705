package io.mainloop.gateway.push;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The body of {@code POST /api/push/subscriptions}: the browser's {@code PushSubscription} as its
 * {@code toJSON()} gives it (W3C Push API), {@code {"endpoint", "expirationTime", "keys": {"p256dh",
 * "auth"}}}; {@code expirationTime} and unknown fields are ignored.
 *
 * @param endpoint the push resource URL (RFC 8030): https, or http on the loopback (tests, a local push service)
 * @param keys the browser's encryption keys (RFC 8291)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionRequest(String endpoint, Keys keys) {

    /** Longest endpoint accepted, in characters. */
    static final int MAX_ENDPOINT = 2048;

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /**
     * @param p256dh the browser's P-256 public key, a 65-byte uncompressed point, base64url
     * @param auth its 16-byte authentication secret, base64url
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Keys(String p256dh, String auth) {
    }

    /** Why this request cannot be accepted (the detail of a 400 problem), or null when it can. */
    public String problem() {
        String endpointProblem = endpointProblem(endpoint);
        if (endpointProblem != null) {
            return endpointProblem;
        }
        if (keys == null || keys.p256dh() == null || keys.auth() == null) {
            return "keys.p256dh and keys.auth are required";
        }
        if (!PushKeys.onCurve(PushKeys.decode(keys.p256dh()))) {
            return "keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)";
        }
        byte[] auth = PushKeys.decode(keys.auth());
        if (auth == null || auth.length != 16) {
            return "keys.auth must be a 16-byte secret, base64url";
        }
        return null;
    }

    /**
     * Why {@code endpoint} is no acceptable push endpoint, or null: an absolute https URL with a host
     * (http only on localhost, 127.0.0.1 or [::1]), no user info, no fragment, at most
     * {@link #MAX_ENDPOINT} characters.
     */
    static String endpointProblem(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return "endpoint is required";
        }
        if (endpoint.length() > MAX_ENDPOINT) {
            return "endpoint is longer than " + MAX_ENDPOINT + " characters";
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            return "endpoint is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "endpoint must be an https URL with a host";
        }
        if (scheme.equals("https") || (scheme.equals("http") && LOOPBACK.contains(host))) {
            return null;
        }
        return "endpoint must be an https URL (http only on localhost)";
    }
}
