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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for agent-service's task API (a JDK HTTP server on a free port, which
 * {@code quarkus.rest-client.agent.url} points at): it records the last request and answers what
 * the test told it to; a task's log is answered as server-sent events, in two parts when the test
 * holds it (the second once {@link #releaseLog()} is called), as a running task's log goes on. It
 * can be taken down and brought back on the same port.
 */
public class FakeAgentService implements QuarkusTestResourceLifecycleManager {

    /** What the fake received last. */
    public record Request(String method, String path, String query, String contentType, String body) {
    }

    private static HttpServer server;
    private static int port;
    private static volatile Request last;
    private static volatile int status = 200;
    private static volatile String contentType = "application/json";
    private static volatile String body = "{}";
    private static volatile String logFirst;
    private static volatile String logRest;
    private static volatile CountDownLatch logHeld = new CountDownLatch(0);

    @Override
    public Map<String, String> start() {
        try {
            bind(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.rest-client.agent.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    /** The next answers: {@code status} with {@code body} of {@code type} (no body when null). */
    public static void answer(int status, String type, String body) {
        FakeAgentService.status = status;
        FakeAgentService.contentType = type;
        FakeAgentService.body = body;
        logFirst = null;
        last = null;
    }

    /**
     * The next log requests are answered 200 with {@code first} (SSE text), then, once
     * {@link #releaseLog()} was called (at once when {@code held} is false), {@code rest}, and the
     * stream ends.
     */
    public static void log(String first, String rest, boolean held) {
        answer(200, "text/event-stream", null);
        logRest = rest;
        logHeld = new CountDownLatch(held ? 1 : 0);
        logFirst = first;
    }

    /** Lets a held log go on to its end. */
    public static void releaseLog() {
        logHeld.countDown();
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
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        s.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                last = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String first = logFirst;
            if (first != null && exchange.getRequestURI().getRawPath().endsWith("/log")) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(first.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (logHeld.await(30, TimeUnit.SECONDS)) {
                        out.write(logRest.getBytes(StandardCharsets.UTF_8));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException gone) {
                    // the gateway closed the stream
                }
                exchange.close();
                return;
            }
            String text = body;
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
