package io.mainloop.gateway.push;

import com.interaso.webpush.WebPush;
import io.mainloop.gateway.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

/**
 * Sends one push message to one push service (RFC 8030 section 5): a {@code POST} to the
 * subscription's endpoint whose body is the payload encrypted for that browser ({@code aes128gcm},
 * RFC 8291), with {@code Authorization: vapid t=<ES256 JWT>, k=<public key>} (RFC 8292; the JWT's
 * {@code aud} is the endpoint's origin, {@code exp} 12 h ahead), {@code TTL} and
 * {@code Urgency: normal}. Blocking, bounded by {@code mainloop.gateway.push.timeout}; call it off
 * the event loop and off the Kafka threads.
 */
@ApplicationScoped
public class PushSender {

    /** How a push went: the push service's status, or 0 when it could not be reached in time. */
    public record Outcome(int status, String problem) {

        /** Accepted by the push service (201, or any 2xx). */
        public boolean delivered() {
            return status >= 200 && status < 300;
        }

        /** The subscription no longer exists (404, 410): it is to be deleted (RFC 8030 section 7.3). */
        public boolean gone() {
            return status == 404 || status == 410;
        }
    }

    /** Where to push: a subscription's endpoint and keys (base64url). */
    public record Target(String endpoint, String p256dh, String auth) {
    }

    private final GatewayConfig config;
    private final HttpClient client;

    @Inject
    PushSender(GatewayConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder().connectTimeout(config.push().timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Encrypts {@code payload} (UTF-8 JSON) for {@code target} and sends it, signed by {@code webPush}.
     *
     * @return the push service's answer; status 0 for a timeout, a refused connection or a key the
     *     payload cannot be encrypted for (the problem says which, without any key)
     */
    public Outcome send(WebPush webPush, Target target, byte[] payload) {
        HttpRequest request;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] body = webPush.getBody(payload, b64.decode(target.p256dh()), b64.decode(target.auth()));
            Map<String, String> headers = webPush.getHeaders(target.endpoint(),
                    (int) config.push().ttl().toSeconds(), null, WebPush.Urgency.Normal);
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.endpoint()))
                    .timeout(config.push().timeout()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            request = builder.build();
        } catch (RuntimeException e) {
            return new Outcome(0, "cannot encrypt for this subscription: " + e.getClass().getSimpleName());
        }
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return new Outcome(response.statusCode(), null);
        } catch (IOException e) {
            return new Outcome(0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "interrupted");
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
