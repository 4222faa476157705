package io.mainloop.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mainloop.devstack.testing.SseClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The owner's HTTP API as a phone or laptop uses it: post, read history, cancel, open the stream. */
public final class ThreadClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final String token;
    private final String accessToken;

    /** A client of the owner: {@code token} is the owner token, sent as a bearer token. */
    public ThreadClient(String baseUrl, String token) {
        this(baseUrl, token, null);
    }

    private ThreadClient(String baseUrl, String token, String accessToken) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.accessToken = accessToken;
    }

    /**
     * A client of whoever a Cloudflare Access token names: it sends {@code accessToken} as
     * Cloudflare's edge does ({@code Cf-Access-Jwt-Assertion}), so it reaches that identity's thread.
     * Its {@link #stream} and {@link #events} are not for it (they send a bearer token).
     */
    public static ThreadClient ofAccess(String baseUrl, String accessToken) {
        return new ThreadClient(baseUrl, null, accessToken);
    }

    /** A posted message: the id it is stored under and the moment the gateway's 202 arrived. */
    public record Posted(String messageId, java.time.Instant acceptedAt) {
    }

    /**
     * {@code POST /api/thread/messages} with a fresh clientMessageId.
     *
     * @throws AssertionError unless the gateway answers 202
     */
    public Posted post(String text) {
        return post(text, UUID.randomUUID().toString());
    }

    /** {@code POST /api/thread/messages} with the given clientMessageId (a retry reuses it). */
    public Posted post(String text, String clientMessageId) {
        ObjectNode body = JSON.createObjectNode().put("text", text).put("clientMessageId", clientMessageId);
        HttpResponse<String> response = send(request("/api/thread/messages")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        if (response.statusCode() != 202) {
            throw new AssertionError("POST answered " + response.statusCode() + ": " + response.body());
        }
        return new Posted(tree(response.body()).path("messageId").asText(), java.time.Instant.now());
    }

    /** The newest {@code limit} messages of the thread, oldest first ({@code GET /api/thread/messages}). */
    public List<JsonNode> history(int limit) {
        HttpResponse<String> response = send(request("/api/thread/messages?limit=" + limit).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET history answered " + response.statusCode() + ": " + response.body());
        }
        List<JsonNode> messages = new ArrayList<>();
        tree(response.body()).path("messages").forEach(messages::add);
        return messages;
    }

    /**
     * {@code GET path} on the gateway as the owner (e.g. {@code /api/memories}).
     *
     * @throws AssertionError unless it answers 200
     */
    public JsonNode get(String path) {
        HttpResponse<String> response = send(request(path).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return tree(response.body());
    }

    /**
     * {@code POST path} with a JSON body on the gateway as the owner.
     *
     * @throws AssertionError unless it answers 2xx
     */
    public JsonNode postJson(String path, String json) {
        HttpResponse<String> response = send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return tree(response.body());
    }

    /**
     * An answer: its status and body.
     *
     * @param status the HTTP status
     * @param body the body, parsed
     */
    public record Answer(int status, JsonNode body) {
    }

    /** {@code POST path} with {@code body} of {@code contentType} on the gateway as the owner, whatever it answers. */
    public Answer post(String path, String contentType, String body) {
        HttpResponse<String> response = send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        return new Answer(response.statusCode(), tree(response.body()));
    }

    /**
     * A body as bytes.
     *
     * @param status the HTTP status
     * @param contentType its Content-Type, or ""
     * @param body the bytes
     * @param headers all its headers
     */
    public record Download(int status, String contentType, byte[] body, java.net.http.HttpHeaders headers) {
    }

    /** {@code GET path} on the gateway as the owner, the body as bytes (an export, an archive). */
    public Download download(String path) {
        try {
            HttpResponse<byte[]> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Download(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST path} with bytes of {@code contentType} on the gateway as the owner, whatever it answers. */
    public Answer post(String path, String contentType, byte[] body) {
        HttpResponse<String> response = send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        return new Answer(response.statusCode(), tree(response.body()));
    }

    /**
     * A call's whole answer.
     *
     * @param status the HTTP status
     * @param contentType its Content-Type, or ""
     * @param body the body, parsed (a missing node when empty)
     */
    public record Reply(int status, String contentType, JsonNode body) {

        /**
         * Asserts this is a problem (RFC 9457, {@code application/problem+json}) with {@code status}
         * whose detail contains {@code detail}.
         */
        public void assertProblem(int status, String detail) {
            if (status() != status || !contentType().startsWith("application/problem+json")
                    || body().path("status").asInt() != status || !body().path("detail").asText().contains(detail)) {
                throw new AssertionError("expected a " + status + " problem saying '" + detail + "', got " + status()
                        + " " + contentType() + ": " + body());
            }
        }
    }

    /** A JSON object of string fields: {@code json("kind", "FACT", "text", "...")}. */
    public static String json(String... keysAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return node.toString();
    }

    /** {@code method path} on the gateway as the owner, with a JSON body unless {@code json} is null, whatever it answers. */
    public Reply call(String method, String path, String json) {
        HttpRequest.Builder request = request(path);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = send(request.build());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                tree(response.body()));
    }

    /** {@code POST /api/thread/turns/{turnId}/cancel}; returns the HTTP status. */
    public int cancel(String turnId) {
        return send(request("/api/thread/turns/" + turnId + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode();
    }

    /** Opens {@code GET /api/thread/stream}, from now on, or after {@code lastEventId} if not null. */
    public SseClient stream(String lastEventId) {
        SseClient stream = new SseClient(baseUrl + "/api/thread/stream", token, lastEventId);
        if (stream.status() != 200) {
            throw new AssertionError("the stream answered " + stream.status());
        }
        return stream;
    }

    /** Opens the server-sent events of {@code path} on the gateway as the owner (e.g. a task's log), whatever it answers. */
    public SseClient events(String path) {
        return new SseClient(baseUrl + path, token, null);
    }

    private HttpRequest.Builder request(String path) {
        // longer than the gateway's own 10 s wait for a service: what a test sees is the gateway's answer
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        return accessToken != null ? request.header("Cf-Access-Jwt-Assertion", accessToken)
                : request.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json);
        }
    }
}
