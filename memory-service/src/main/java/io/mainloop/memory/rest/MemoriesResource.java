package io.mainloop.memory.rest;

import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.memories.MemoryService;
import io.mainloop.memory.repository.MemoryEntity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The owner's view of the thread's memories: list, add, edit, pin, supersede, forget. */
@Path("/api/threads/{threadId}/memories")
@Produces(MediaType.APPLICATION_JSON)
public class MemoriesResource {

    /** A memory as the API shows it (docs/memory.md). */
    public record MemoryView(UUID id, MemoryEntity.Kind kind, String text, Instant createdAt, boolean pinned,
                             Instant expiresAt, UUID supersedes, UUID supersededBy, UUID sourceMessageId,
                             UUID sourceSummaryId, MemoryEntity.Origin origin) {
    }

    /** The memories found, newest first. */
    public record Memories(List<MemoryView> memories) {
    }

    /**
     * A new memory; with {@code supersedes}, it replaces that one.
     *
     * @param kind DECISION, INSIGHT, HANDOFF, FACT or PREFERENCE (with supersedes: optional)
     * @param text at most 2,000 characters
     */
    public record NewMemory(String kind, String text, Boolean pinned, Instant expiresAt, UUID supersedes) {
    }

    /** Changes to a memory; absent fields stay as they are. */
    public record MemoryChange(String text, String kind, Boolean pinned, Instant expiresAt) {
    }

    @Inject
    MemoryService memories;

    /** {@code GET ...?kind=&superseded=true}: current memories (all with {@code superseded=true}), newest first. */
    @GET
    public Memories list(@PathParam("threadId") String threadId, @QueryParam("kind") String kind,
                         @QueryParam("superseded") boolean superseded) {
        return new Memories(memories.list(threadId, kind, superseded, 1000).stream().map(MemoriesResource::view).toList());
    }

    /** {@code POST}: 201 with the memory; 400 on a bad kind or text, 404/409 for a bad {@code supersedes}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("threadId") String threadId, NewMemory body) {
        if (body == null) {
            throw new MemoryRequestException(400, "a JSON body with kind and text is required");
        }
        MemoryEntity m = body.supersedes() != null
                ? memories.supersede(threadId, body.supersedes(), body.text(), body.kind(), MemoryEntity.Origin.OWNER)
                : memories.remember(threadId, body.kind(), body.text(), Boolean.TRUE.equals(body.pinned()),
                        body.expiresAt(), MemoryEntity.Origin.OWNER, null, null);
        if (body.supersedes() != null && body.pinned() != null) {
            m = memories.update(threadId, m.id, null, null, body.pinned(), null);
        }
        return Response.status(Response.Status.CREATED).entity(view(m)).build();
    }

    /** {@code PATCH /{id}}: 200 with the memory; 400 on bad values, 404 if unknown. */
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MemoryView change(@PathParam("threadId") String threadId, @PathParam("id") String id, MemoryChange body) {
        if (body == null) {
            throw new MemoryRequestException(400, "a JSON body is required");
        }
        return view(memories.update(threadId, Params.uuid("id", id), body.text(), body.kind(), body.pinned(),
                body.expiresAt()));
    }

    /** {@code DELETE /{id}}: forgets it, 204; 404 if unknown. */
    @DELETE
    @Path("/{id}")
    public Response forget(@PathParam("threadId") String threadId, @PathParam("id") String id) {
        memories.forget(threadId, Params.uuid("id", id));
        return Response.noContent().build();
    }

    static MemoryView view(MemoryEntity m) {
        return new MemoryView(m.id, m.kind, m.text, m.createdAt, m.pinned, m.expiresAt, m.supersedes, m.supersededBy,
                m.sourceMessageId, m.sourceSummaryId, m.origin);
    }
}
