package io.mainloop.memory.rest;

import io.mainloop.memory.memories.CoreBlockService;
import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.repository.CoreBlockRepository.CoreBlock;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/** The core blocks {@code persona} and {@code owner}: read and rewrite. */
@Path("/api/threads/{threadId}/core-blocks/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class CoreBlocksResource {

    /** A core block as the API shows it; {@code updatedAt} null if never written. */
    public record CoreBlockView(String name, String text, int maxChars, Instant updatedAt) {
    }

    /** A new text for a block. */
    public record CoreBlockText(String text) {
    }

    @Inject
    CoreBlockService blocks;

    /** {@code GET}: the block; 404 for a name other than persona or owner. */
    @GET
    public CoreBlockView get(@PathParam("threadId") String threadId, @PathParam("name") String name) {
        return view(blocks.get(threadId, name));
    }

    /** {@code PUT}: rewrites it; 413 over the cap, 404 for an unknown name. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public CoreBlockView put(@PathParam("threadId") String threadId, @PathParam("name") String name,
                             CoreBlockText body) {
        if (body == null || body.text() == null) {
            throw new MemoryRequestException(400, "a JSON body with text is required");
        }
        return view(blocks.put(threadId, name, body.text()));
    }

    private CoreBlockView view(CoreBlock b) {
        return new CoreBlockView(b.name(), b.text(), blocks.maxChars(), b.updatedAt());
    }
}
