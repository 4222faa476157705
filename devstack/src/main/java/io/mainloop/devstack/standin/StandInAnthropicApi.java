package io.mainloop.devstack.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Anthropic Messages API, the only stand-in in mainloop: the real
 * Claude Code CLI talks to it (through {@code ANTHROPIC_BASE_URL}) in tests and in demo mode.
 * It serves {@code POST /v1/messages} as server-sent events in the order the API uses
 * ({@code message_start}, {@code content_block_start}, {@code content_block_delta},
 * {@code content_block_stop}, {@code message_delta}, {@code message_stop}; see the Messages API
 * streaming docs and {@code shared/reference/claude-code-headless.md}). Replies come from
 * {@link #enqueue queued} scripts first, else from directives in the user's message, or, for a
 * summary request ({@code mainloop:summarize} in its system prompt), from its material
 * ({@link ReplyScript}).
 */
public final class StandInAnthropicApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEEP_REQUESTS = 200;

    private final HttpServer server;
    private final ConcurrentLinkedDeque<ScriptedReply> queued = new ConcurrentLinkedDeque<>();
    private final List<Received> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private final Set<String> failedSummaryKeys = ConcurrentHashMap.newKeySet();

    private StandInAnthropicApi(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts the stand-in on 127.0.0.1.
     *
     * @param port the port, or 0 for a free one
     * @throws IOException if the port cannot be bound
     */
    public static StandInAnthropicApi start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        StandInAnthropicApi api = new StandInAnthropicApi(server);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** The value for {@code ANTHROPIC_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues replies for the next requests, in order; they take precedence over directives. */
    public void enqueue(ScriptedReply... replies) {
        queued.addAll(List.of(replies));
    }

    /** The last request bodies received (at most 200), oldest first. */
    public List<JsonNode> requests() {
        synchronized (requests) {
            return requests.stream().map(Received::body).toList();
        }
    }

    /**
     * The last Messages API requests received (at most 200), oldest first, each with when its
     * headers arrived (this JVM's wall clock): benchmarks tell a CLI's own time to its request from
     * the time after it.
     */
    public List<Received> received() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** A Messages API request: its body, and when its headers arrived. */
    public record Received(JsonNode body, Instant at) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant arrived = Instant.now();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders("HEAD".equals(exchange.getRequestMethod()) ? 200 : 404, -1);
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (path.endsWith("/v1/messages/count_tokens")) {
                sendJson(exchange, 200, JSON.createObjectNode().put("input_tokens", estimateTokens(body)));
                return;
            }
            if (!path.endsWith("/v1/messages")) {
                sendError(exchange, new ScriptedReply.HttpError(404, "not_found_error", "no such endpoint " + path));
                return;
            }
            remember(new Received(body, arrived));
            ScriptedReply reply = queued.poll();
            if (reply == null) {
                reply = ReplyScript.replyTo(body, failedSummaryKeys);
            }
            if (reply instanceof ScriptedReply.HttpError error) {
                sendError(exchange, error);
            } else {
                stream(exchange, body, reply);
            }
        } catch (IOException clientWentAway) {
            // the CLI was killed mid-stream (cancel, timeout): nothing to answer
        }
    }

    private void remember(Received request) {
        synchronized (requests) {
            requests.add(request);
            if (requests.size() > KEEP_REQUESTS) {
                requests.remove(0);
            }
        }
    }

    private void stream(HttpExchange exchange, JsonNode request, ScriptedReply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("request-id", "req_standin_" + ids.incrementAndGet());
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String model = request.path("model").asText("claude-standin");
        int inputTokens = estimateTokens(request);
        ObjectNode message = JSON.createObjectNode()
                .put("id", "msg_standin_" + UUID.randomUUID().toString().replace("-", ""))
                .put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 1)
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
        event(out, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", message));
        event(out, "ping", JSON.createObjectNode().put("type", "ping"));
        int outputTokens;
        String stopReason;
        int index = 0;
        if (reply instanceof ScriptedReply.ToolUse tool) {
            if (tool.preamble() != null) {
                blockStart(out, index, JSON.createObjectNode().put("type", "text").put("text", ""));
                delta(out, index, JSON.createObjectNode().put("type", "text_delta").put("text", tool.preamble()));
                blockStop(out, index++);
            }
            ObjectNode block = JSON.createObjectNode().put("type", "tool_use")
                    .put("id", "toolu_standin_" + ids.incrementAndGet()).put("name", tool.tool());
            block.putObject("input");
            blockStart(out, index, block);
            String input = JSON.writeValueAsString(tool.input());
            delta(out, index, JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", input));
            outputTokens = Math.max(1, input.length() / 4);
            stopReason = "tool_use";
        } else {
            ScriptedReply.Text text = (ScriptedReply.Text) reply;
            blockStart(out, index, JSON.createObjectNode().put("type", "text").put("text", ""));
            String all = text.text();
            for (int i = 0; i < all.length(); i += text.chunkChars()) {
                pause(text.delayMs());
                String chunk = all.substring(i, Math.min(all.length(), i + text.chunkChars()));
                delta(out, index, JSON.createObjectNode().put("type", "text_delta").put("text", chunk));
            }
            outputTokens = Math.max(1, all.length() / 4);
            stopReason = "end_turn";
        }
        blockStop(out, index);
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", outputTokens);
        event(out, "message_delta", messageDelta);
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
    }

    private static void pause(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms); // a scripted slow stream, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void blockStart(OutputStream out, int index, ObjectNode block) throws IOException {
        event(out, "content_block_start", JSON.createObjectNode().put("type", "content_block_start").put("index", index)
                .set("content_block", block));
    }

    private void delta(OutputStream out, int index, ObjectNode delta) throws IOException {
        event(out, "content_block_delta", JSON.createObjectNode().put("type", "content_block_delta").put("index", index)
                .set("delta", delta));
    }

    private static void blockStop(OutputStream out, int index) throws IOException {
        event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
    }

    private static void event(OutputStream out, String name, JsonNode data) throws IOException {
        out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendError(HttpExchange exchange, ScriptedReply.HttpError error) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", error.errorType()).put("message", error.message());
        sendJson(exchange, error.status(), body);
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static int estimateTokens(JsonNode request) {
        return Math.max(1, request.toString().length() / 4);
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
    }

    /** Runs the stand-in alone: {@code java ... StandInAnthropicApi [port]}; prints its base URL. */
    public static void main(String[] args) throws IOException {
        StandInAnthropicApi api = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("stand-in Anthropic API on " + api.baseUrl());
    }
}
