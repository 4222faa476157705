package io.mainloop.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A browser-like client of {@code GET /api/thread/stream}: parses server-sent events (id, event,
 * data) as they arrive and stamps each with its arrival time.
 */
public final class EventStream implements AutoCloseable {

    /** One SSE event: its id (stream cursor), name (the event type), data (event JSON), arrival. */
    public record Frame(String id, String event, JsonNode data, Instant receivedAt) {

        /** A text field of the event's data, or "" if absent. */
        public String field(String name) {
            return data.path(name).asText("");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<Frame> seen = new ArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    EventStream(HttpClient http, String url, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> Thread.ofPlatform().daemon().name("sse-reader").start(() -> parse(r.body())));
    }

    private void parse(Stream<String> lines) {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (event != null && !data.isEmpty()) {
                        frames.add(new Frame(id, event, readTree(data.toString()), Instant.now()));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
        } catch (UncheckedIOException closed) {
            // the stream was closed
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the next frame matching {@code test}, keeping every frame received on the way
     * (see {@link #seen()}).
     *
     * @throws AssertionError if none arrives within {@code timeout}
     */
    public Frame await(Predicate<Frame> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Frame frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                if (frame == null) {
                    throw new AssertionError("no matching event within " + timeout.toSeconds() + " s; last received: "
                            + seen.subList(Math.max(0, seen.size() - 5), seen.size()));
                }
                seen.add(frame);
                if (test.test(frame)) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Waits for the next event of {@code type} whose {@code field} equals {@code value}. */
    public Frame await(String type, String field, String value, Duration timeout) {
        return await(f -> f.event().equals(type) && f.field(field).equals(value), timeout);
    }

    /** Every frame {@link #await} has consumed so far, in arrival order. */
    public List<Frame> seen() {
        return List.copyOf(seen);
    }

    /** Drains frames already received without waiting, into {@link #seen()}. */
    public List<Frame> drain() {
        List<Frame> more = new ArrayList<>();
        frames.drainTo(more);
        seen.addAll(more);
        return seen();
    }

    /** The HTTP status of the stream response. */
    public int status() {
        try {
            return response.get(10, TimeUnit.SECONDS).statusCode();
        } catch (Exception e) {
            throw new AssertionError("the stream did not open: " + e);
        }
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
