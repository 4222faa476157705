package io.mainloop.devstack.testing;

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
 * A test client of a server-sent-events stream, as a browser's EventSource reads it (WHATWG
 * HTML, server-sent events): parses frames (id, event, data) as they arrive and stamps each
 * with its arrival time. Waiting is on arriving frames, never on a clock.
 */
public final class SseClient implements AutoCloseable {

    /** One frame: its id (the stream cursor), event name, data, and when it arrived here. */
    public record Frame(String id, String event, String data, Instant receivedAt) {

        private static final ObjectMapper JSON = new ObjectMapper();

        /** The data as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("frame data is not JSON: " + data, e);
            }
        }

        /** A text field of the JSON data, or "" if absent. */
        public String field(String name) {
            return json().path(name).asText("");
        }
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<Frame> seen = new ArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    /**
     * Opens {@code url} with the owner token as a bearer token.
     *
     * @param lastEventId sent as {@code Last-Event-ID} to resume, or null to start from now
     */
    public SseClient(String url, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> Thread.ofPlatform().daemon().name("sse-reader").start(() -> parse(r.body())));
    }

    private void parse(Stream<String> lines) {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (event != null || !data.isEmpty()) {
                        frames.add(new Frame(id, event, data.toString(), Instant.now()));
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
        } catch (UncheckedIOException | IllegalStateException closed) {
            // the stream was closed (IllegalStateException: by close() before this reader began)
        }
    }

    /**
     * Waits for frames until one matches {@code until}.
     *
     * @return the frames received by this call, up to and including the match
     * @throws AssertionError if none matches within {@code timeout}
     */
    public List<Frame> until(Predicate<Frame> until, Duration timeout) {
        List<Frame> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Frame frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                if (frame == null) {
                    throw new AssertionError("no matching SSE frame within " + timeout.toSeconds() + " s; last received: "
                            + received.subList(Math.max(0, received.size() - 5), received.size()));
                }
                received.add(frame);
                seen.add(frame);
                if (until.test(frame)) {
                    return received;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Waits for the next frame matching {@code test} and returns it (see {@link #until}). */
    public Frame await(Predicate<Frame> test, Duration timeout) {
        return until(test, timeout).getLast();
    }

    /**
     * The first frame matching {@code test} among those received so far (consumed or not), else
     * waits for the next one (see {@link #until}): for an event whose order relative to others
     * does not matter.
     */
    public Frame awaitAny(Predicate<Frame> test, Duration timeout) {
        drain();
        return seen().stream().filter(test).findFirst().orElseGet(() -> await(test, timeout));
    }

    /** Waits for the next event named {@code type} whose JSON {@code field} equals {@code value}. */
    public Frame await(String type, String field, String value, Duration timeout) {
        return await(f -> type.equals(f.event()) && f.field(field).equals(value), timeout);
    }

    /** Every frame consumed so far by {@link #until} and {@link #drain}, in arrival order. */
    public List<Frame> seen() {
        return List.copyOf(seen);
    }

    /** Takes the frames already received without waiting; returns {@link #seen()}. */
    public List<Frame> drain() {
        frames.drainTo(seen);
        return seen();
    }

    /** The HTTP status of the stream's response (waits up to 10 s for it). */
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
