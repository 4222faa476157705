package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The thread's bulk transfers with memory-service, relayed without holding them
 * ({@link BodyRelay}): exports and backup archives stream to the browser as memory-service writes
 * them; imports (NDJSON) and restores (a backup archive) stream to memory-service as the browser
 * sends them. Their size is bounded by {@code quarkus.http.limits.max-body-size} here and in
 * memory-service (both 64M; other requests at most 1 MiB, {@link BodyLimitFilter}). An upload
 * takes at most {@link GatewayConfig#transferTimeout()}, sending included, until memory-service
 * answers (an import embeds every message first: minutes for tens of thousands); a download waits
 * at most {@code quarkus.rest-client.memory.read-timeout} for its headers. While a download
 * streams, memory-service holds the database connection of its snapshot: a download paused by the
 * browser holds it until it resumes or the connection idles out ({@code quarkus.http.idle-timeout}).
 */
@ApplicationScoped
public class MemoryTransfers {

    private final BodyRelay relay;
    private final Duration transferTimeout;

    MemoryTransfers(GatewayConfig config) {
        this.relay = BodyRelay.of("memory", config);
        this.transferTimeout = config.transferTimeout();
    }

    /** The thread's export ({@code format}, period, kinds as memory-service takes them), streamed. */
    Response export(String threadId, String format, String from, String to, List<String> kinds) {
        List<String> query = new ArrayList<>();
        add(query, "format", format);
        add(query, "from", from);
        add(query, "to", to);
        if (kinds != null) {
            kinds.forEach(k -> add(query, "kind", k));
        }
        return relay.relay(get(threadId, "/export", query), "memory-service", "the export", false);
    }

    /** The thread's backup archive (zip), streamed. */
    Response backup(String threadId) {
        return relay.relay(get(threadId, "/backup", List.of()), "memory-service", "the backup", false);
    }

    /** Imports NDJSON {@code body} (of {@code contentType}) into the thread; memory-service's answer. */
    Response importMessages(String threadId, String contentType, InputStream body) {
        String type = contentType == null ? "application/x-ndjson" : contentType;
        return relay.relay(post(threadId, "/import", type, body), "memory-service", "the import", false);
    }

    /** Restores backup archive {@code body} into the thread; memory-service's answer. */
    Response restore(String threadId, InputStream body) {
        return relay.relay(post(threadId, "/restore", "application/zip", body), "memory-service", "the restore",
                false);
    }

    private HttpRequest.Builder get(String threadId, String path, List<String> query) {
        String q = query.isEmpty() ? "" : "?" + String.join("&", query);
        return HttpRequest.newBuilder(relay.threadUri(threadId, path + q)).timeout(relay.readTimeout()).GET();
    }

    private HttpRequest.Builder post(String threadId, String path, String contentType, InputStream body) {
        return HttpRequest.newBuilder(relay.threadUri(threadId, path)).timeout(transferTimeout)
                .header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body));
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + BodyRelay.encode(value));
        }
    }
}
