package io.mainloop.gateway;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in for scheduler-service's schedule API (a JDK HTTP server on a free port, which
 * {@code quarkus.rest-client.scheduler.url} points at): it records the last request it got and
 * answers what the test told it to. It can be taken down and brought back on the same port, to
 * see the gateway answer while scheduler-service is unreachable.
 */
public class FakeSchedulerService implements QuarkusTestResourceLifecycleManager {

    /** What the fake received last. */
    public record Request(String method, String path, String query, String contentType, String body) {
    }

    private static HttpServer server;
    private static int port;
    private static volatile Request last;
    private static volatile int status = 200;
    private static volatile String contentType = "application/json";
    private static volatile String body = "{}";
    private static volatile String stored;

    @Override
    public Map<String, String> start() {
        try {
            bind(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.rest-client.scheduler.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    /** The next answers: {@code status} with {@code body} of {@code type} (no body when null). */
    /**
     * The schedule that {@code GET /api/schedules/{id}} answers (200), whatever {@link #answer}
     * says: what the gateway reads to check a schedule is the caller's before it changes or runs
     * it. Null: that GET is answered like any other request.
     */
    public static void stored(String scheduleJson) {
        stored = scheduleJson;
    }

    public static void answer(int status, String type, String body) {
        FakeSchedulerService.status = status;
        FakeSchedulerService.contentType = type;
        FakeSchedulerService.body = body;
        last = null;
    }

    /** The last request received (null when none since {@link #answer}). */
    public static Request last() {
        return last;
    }

    /** Stops answering: connections to its port are refused. */
    public static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Answers again, on the same port (waiting for it to be free for up to 10 s). */
    public static synchronized void up() throws IOException, InterruptedException {
        if (server != null) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                bind(port);
                return;
            } catch (BindException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static synchronized void bind(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 16);
        s.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                last = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String text = body;
            int code = status;
            String type = contentType;
            if (stored != null && exchange.getRequestMethod().equals("GET")
                    && exchange.getRequestURI().getRawPath().matches("/api/schedules/[^/]+")) {
                text = stored;
                code = 200;
                type = "application/json";
            }
            if (text == null) {
                exchange.sendResponseHeaders(code, -1);
            } else {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", type);
                exchange.sendResponseHeaders(code, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        });
        s.start();
        server = s;
        port = s.getAddress().getPort();
    }
}
