package io.mainloop.devstack.access;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

/**
 * A stand-in for a Cloudflare team's signing keys, {@code /cdn-cgi/access/certs} (a JDK HTTP
 * server on a free loopback port, which the gateway's {@code mainloop.gateway.access.jwks-url}
 * points at): it publishes the public halves of test RSA keys as a JWKS, as Cloudflare does
 * ("Validate JWTs", Cloudflare Zero Trust), and counts how often it is fetched. {@link #K1} is
 * published from the start; {@link #K2} when a test rotates the keys. Tokens signed with them:
 * {@link AccessTokens}. One server per JVM.
 */
public final class AccessKeys {

    /** The key published from the start, kid {@code k1}. */
    public static final RsaJsonWebKey K1 = generate("k1");

    /** The key a rotation publishes, kid {@code k2}. */
    public static final RsaJsonWebKey K2 = generate("k2");

    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static volatile List<RsaJsonWebKey> published = List.of(K1);
    private static volatile long lastFetchNanos;
    private static HttpServer server;

    private AccessKeys() {
    }

    /**
     * Starts serving the JWKS (again, on a new port, if it ran).
     *
     * @return its URL, for {@code mainloop.gateway.access.jwks-url}
     */
    public static synchronized String start() {
        stop();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/cdn-cgi/access/certs", exchange -> {
            FETCHES.incrementAndGet();
            lastFetchNanos = System.nanoTime();
            byte[] body = new JsonWebKeySet(List.<JsonWebKey>copyOf(published))
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cdn-cgi/access/certs";
    }

    /** Stops serving (a no-op when not running). */
    public static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** From now on the JWKS holds exactly {@code keys}. */
    public static void publish(RsaJsonWebKey... keys) {
        published = List.of(keys);
    }

    /** How often the JWKS was fetched so far. */
    public static int fetches() {
        return FETCHES.get();
    }

    /** Milliseconds since the last fetch (a large number before the first). */
    public static long millisSinceLastFetch() {
        long last = lastFetchNanos;
        return last == 0 ? Long.MAX_VALUE : (System.nanoTime() - last) / 1_000_000;
    }

    private static RsaJsonWebKey generate(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            key.setAlgorithm("RS256");
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
