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
 * A stand-in for memory-service's REST API (a JDK HTTP server on a free port, which
 * {@code quarkus.rest-client.memory.url} points at): it records the last request it got and
 * answers what the test told it to. It can be taken down and brought back on the same port, to
 * see the gateway answer while memory-service is unreachable.
 */
public class FakeMemoryService implements QuarkusTestResourceLifecycleManager {

    /** What the fake received last. */
    public record Request(String method, String path, String query, String contentType, String body) {
    }

    private static HttpServer server;
    private static int port;
    private static volatile Request last;
    private static volatile int status = 200;
    private static volatile String contentType = "application/json";
    private static volatile String body = "{}";
    private static volatile java.util.function.Function<Request, String> bodyOf;

    @Override
    public Map<String, String> start() {
        try {
            bind(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.rest-client.memory.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    /** The next answers: {@code status} with {@code body} of {@code type} (no body when null). */
    public static void answer(int status, String type, String body) {
        FakeMemoryService.status = status;
        FakeMemoryService.contentType = type;
        FakeMemoryService.body = body;
        bodyOf = null;
        last = null;
    }

    /** The next answers: 200 with the JSON that {@code bodyOf} makes of each request (e.g. per thread path). */
    public static void answerBy(java.util.function.Function<Request, String> bodyOf) {
        answer(200, "application/json", "{}");
        FakeMemoryService.bodyOf = bodyOf;
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
            Request request;
            try (InputStream in = exchange.getRequestBody()) {
                request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
                last = request;
            }
            var by = bodyOf;
            String text = by == null ? body : by.apply(request);
            if (text == null) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, bytes.length);
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
