package io.mainloop.gateway.access;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The thread's SSE stream as a browser behind Cloudflare Access reads it: the Access token in the
 * {@code Cf-Access-Jwt-Assertion} header (devstack's SseClient sends the owner token instead).
 * Frames are parsed as they arrive; waiting is on arriving frames, never on a clock.
 */
final class AccessSse implements AutoCloseable {

    /** One frame: its event name and data. */
    record Frame(String event, String data) {
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    AccessSse(String url, String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header(AccessVerifier.HEADER, accessToken)
                .header("Accept", "text/event-stream").build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> Thread.ofPlatform().daemon().name("access-sse").start(() -> parse(r.body())));
    }

    private void parse(Stream<String> lines) {
        String event = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (event != null || !data.isEmpty()) {
                        frames.add(new Frame(event, data.toString()));
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
        } catch (UncheckedIOException | IllegalStateException closed) {
            // the stream was closed (by close(), perhaps before it was read at all)
        }
    }

    /** The frames up to and including the first that matches {@code until}; fails after {@code timeout}. */
    List<Frame> until(Predicate<Frame> until, Duration timeout) throws InterruptedException {
        List<Frame> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Frame frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
            if (frame == null) {
                throw new AssertionError("no matching SSE frame within " + timeout.toSeconds() + " s; received " + received);
            }
            received.add(frame);
            if (until.test(frame)) {
                return received;
            }
        }
    }

    /** The HTTP status of the stream's response. */
    int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).statusCode();
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
