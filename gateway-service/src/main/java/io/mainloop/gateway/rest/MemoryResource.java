package io.mainloop.gateway.rest;

import static io.mainloop.gateway.rest.Forwarding.forward;
import static io.mainloop.gateway.rest.Forwarding.uuid;

import io.mainloop.support.rest.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The caller's memory (docs/memory.md): history by period, the summaries of the temporal pyramid,
 * memories and the core blocks of the caller's own main thread, each forwarded to memory-service's
 * {@code /api/threads/{thread}/...} for the caller's thread ({@link CallerThread}). Query parameters and
 * bodies go through unchanged; memory-service's status and problem body come back unchanged
 * (it validates periods, kinds and texts); memory-service unreachable: 503 problem. Authenticated
 * callers only, as all of {@code /api} ({@link OwnerFilter}). What is checked here: a memory id must be a UUID
 * (400) and a core block is {@code persona} or {@code owner} (404).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MemoryResource {

    /** The core blocks there are. */
    static final Set<String> CORE_BLOCKS = Set.of("persona", "owner");

    @Inject
    CallerThread caller;

    @Inject
    @RestClient
    MemoryApiClient memory;

    @Inject
    MemoryTransfers transfers;

    /**
     * {@code GET /api/history?from=&to=&limit=}: the messages with {@code from <= createdAt < to}
     * (ISO instants or days), oldest first: {@code {"messages", "truncated"}}.
     */
    @GET
    @Path("/history")
    public Response history(@QueryParam("from") String from, @QueryParam("to") String to,
                            @QueryParam("limit") String limit) {
        return forward("history", () -> memory.history(caller.threadId(), from, to, limit));
    }

    /**
     * {@code GET /api/summaries?granularity=&from=&to=}: summaries (DAILY, WEEKLY, MONTHLY) whose
     * period starts in {@code [from, to)}, newest first: {@code {"summaries", "timeZone"}}.
     */
    @GET
    @Path("/summaries")
    public Response summaries(@QueryParam("granularity") String granularity, @QueryParam("from") String from,
                              @QueryParam("to") String to) {
        return forward("summaries", () -> memory.summaries(caller.threadId(), granularity, from, to));
    }

    /**
     * {@code GET /api/search?q=&limit=&from=&to=&kind=&role=&asOf=}: recall over all of the caller's
     * history (messages, summaries, memories): {@code {"query","asOf","tookMs","hits"}}, each hit with
     * its id, kind, role, date, score, highlighted snippet and the message and summary to zoom to.
     */
    @GET
    @Path("/search")
    public Response search(@QueryParam("q") String q, @QueryParam("limit") String limit, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("kind") List<String> kind,
                           @QueryParam("role") String role, @QueryParam("asOf") String asOf) {
        return forward("search", () -> memory.search(caller.threadId(), q, limit, from, to, kind, role, asOf));
    }

    /**
     * {@code POST /api/import} with NDJSON ({@code application/x-ndjson}), one message a line
     * ({@code role}, {@code text}, {@code timestamp}, optional {@code externalId}, {@code sessionId}):
     * into the caller's thread, idempotent by external id; a bad line: 400 naming it, nothing
     * imported. The body streams through to memory-service ({@link MemoryTransfers}).
     */
    @POST
    @Path("/import")
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN})
    public Response importMessages(@HeaderParam("Content-Type") String contentType, InputStream ndjson) {
        return transfers.importMessages(caller.threadId(), contentType, ndjson);
    }

    /**
     * {@code GET /api/export?format=jsonl|md&from=&to=&kind=}: the caller's messages, summaries and
     * memories as JSON lines or Markdown, an attachment, streamed as memory-service writes it.
     */
    @GET
    @Path("/export")
    @Produces({"application/x-ndjson", "text/markdown", MediaType.APPLICATION_JSON})
    public Response export(@QueryParam("format") String format, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("kind") List<String> kind) {
        return transfers.export(caller.threadId(), format, from, to, kind);
    }

    /** {@code GET /api/backup}: everything of the caller's thread as one zip archive, streamed. */
    @GET
    @Path("/backup")
    @Produces({"application/zip", MediaType.APPLICATION_JSON})
    public Response backup() {
        return transfers.backup(caller.threadId());
    }

    /**
     * {@code POST /api/restore} with a backup archive ({@code application/zip}): into the caller's
     * thread, which must have no history yet (409 otherwise); not an archive: 400. The archive
     * streams through to memory-service.
     */
    @POST
    @Path("/restore")
    @Consumes({"application/zip", MediaType.APPLICATION_OCTET_STREAM})
    public Response restore(InputStream archive) {
        return transfers.restore(caller.threadId(), archive);
    }

    /** {@code GET /api/memories?kind=&superseded=}: {@code {"memories"}}, newest first. */
    @GET
    @Path("/memories")
    public Response memories(@QueryParam("kind") String kind, @QueryParam("superseded") String superseded) {
        return forward("memories", () -> memory.memories(caller.threadId(), kind, superseded));
    }

    /**
     * {@code POST /api/memories} with {@code {"kind","text","pinned"?,"expiresAt"?,"supersedes"?}}:
     * 201 with the memory ({@code supersedes}: it replaces that memory).
     */
    @POST
    @Path("/memories")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response remember(String body) {
        return forward("memories", () -> memory.remember(caller.threadId(), body));
    }

    /** {@code PATCH /api/memories/{id}} with {@code {"text"?,"kind"?,"pinned"?,"expiresAt"?}}: 200 with the memory. */
    @PATCH
    @Path("/memories/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response change(@PathParam("id") String id, String body) {
        if (uuid(id) == null) {
            return notAUuid("id");
        }
        return forward("memories", () -> memory.change(caller.threadId(), id, body));
    }

    /** {@code DELETE /api/memories/{id}}: forgets the memory (204). */
    @DELETE
    @Path("/memories/{id}")
    public Response forget(@PathParam("id") String id) {
        if (uuid(id) == null) {
            return notAUuid("id");
        }
        return forward("memories", () -> memory.forget(caller.threadId(), id));
    }

    /** {@code GET /api/core-blocks/{name}}: {@code {"name","text","maxChars","updatedAt"}}; persona or owner. */
    @GET
    @Path("/core-blocks/{name}")
    public Response coreBlock(@PathParam("name") String name) {
        if (!CORE_BLOCKS.contains(name)) {
            return noSuchBlock(name);
        }
        return forward("core blocks", () -> memory.coreBlock(caller.threadId(), name));
    }

    /** {@code PUT /api/core-blocks/{name}} with {@code {"text"}}: 200; over the cap 413 (memory-service decides). */
    @PUT
    @Path("/core-blocks/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response writeCoreBlock(@PathParam("name") String name, String body) {
        if (!CORE_BLOCKS.contains(name)) {
            return noSuchBlock(name);
        }
        return forward("core blocks", () -> memory.writeCoreBlock(caller.threadId(), name, body));
    }

    static Response notAUuid(String param) {
        return Problem.response(Response.Status.BAD_REQUEST, param + " must be a UUID");
    }

    private static Response noSuchBlock(String name) {
        return Problem.response(Response.Status.NOT_FOUND, "no core block named '" + name
                + "'; there are persona and owner");
    }
}
