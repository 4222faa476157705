package io.mainloop.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a browser vendor's push service (RFC 8030): a JDK HTTP server on 127.0.0.1 that
 * records every push message it receives and answers each endpoint path with the status the test
 * chose (201 Created by default, as a push service accepts a message).
 */
public final class FakePushService implements AutoCloseable {

    /** One push message as it arrived: the path (which subscription), the headers (lower-case names) and the body. */
    public record Push(String path, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public String toString() {
            return "push to " + path + " (" + body.length + " bytes)";
        }
    }

    private final HttpServer server;
    private final List<Push> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();

    public FakePushService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            String path = exchange.getRequestURI().getRawPath();
            received.add(new Push(path, headers, body));
            exchange.sendResponseHeaders(statusByPath.getOrDefault(path, 201), -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL of subscription {@code name} at this push service, e.g. {@code http://127.0.0.1:4711/push/phone}. */
    public String endpoint(String name) {
        return origin() + "/push/" + name;
    }

    /** {@code http://127.0.0.1:<port>}: the audience a VAPID token for this service must name. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on the subscription {@code name} is answered {@code status} (e.g. 410 Gone). */
    public void answer(String name, int status) {
        statusByPath.put("/push/" + name, status);
    }

    /** Every push received so far, in order of arrival. */
    public List<Push> received() {
        return List.copyOf(received);
    }

    /** The pushes received for subscription {@code name}. */
    public List<Push> receivedBy(String name) {
        return received.stream().filter(p -> p.path().equals("/push/" + name)).toList();
    }

    /** Forgets what was received. */
    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
