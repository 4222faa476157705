package io.mainloop.gateway.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * memory-service's memory API for one thread ({@code quarkus.rest-client.memory.url}, the same
 * service as {@link MemoryClient}): history by period, summaries, memories, core blocks, what a
 * turn saw (docs/memory.md) and the heartbeat's checklist and runs. Bodies go through as JSON
 * text, unchanged; every method answers the raw {@link Response} so its status (200, 201, 204) can
 * be passed on. A 4xx or 5xx answer is thrown as a {@link jakarta.ws.rs.WebApplicationException}
 * whose response holds the problem body.
 */
@RegisterRestClient(configKey = "memory")
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(InternalApiToken.class)
@Path("/api/threads/{threadId}")
@Produces(MediaType.APPLICATION_JSON)
public interface MemoryApiClient {

    /** Messages with {@code from <= createdAt < to}, oldest first, at most {@code limit}. */
    @GET
    @Path("/history")
    Response history(@PathParam("threadId") String threadId, @QueryParam("from") String from,
                     @QueryParam("to") String to, @QueryParam("limit") String limit);

    /** Summaries whose period starts in {@code [from, to)}, newest first. */
    @GET
    @Path("/summaries")
    Response summaries(@PathParam("threadId") String threadId, @QueryParam("granularity") String granularity,
                       @QueryParam("from") String from, @QueryParam("to") String to);

    /** Memories, newest first (superseded and expired ones with {@code superseded=true}). */
    @GET
    @Path("/memories")
    Response memories(@PathParam("threadId") String threadId, @QueryParam("kind") String kind,
                      @QueryParam("superseded") String superseded);

    /**
     * Hybrid search over the thread's messages, summaries and memories:
     * {@code {"query","asOf","tookMs","hits"}}, best first.
     */
    @GET
    @Path("/search")
    Response search(@PathParam("threadId") String threadId, @QueryParam("q") String q, @QueryParam("limit") String limit,
                    @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("kind") List<String> kind,
                    @QueryParam("role") String role, @QueryParam("asOf") String asOf);

    /** Writes a memory (201). */
    @POST
    @Path("/memories")
    @Consumes(MediaType.APPLICATION_JSON)
    Response remember(@PathParam("threadId") String threadId, String body);

    /** Changes a memory's text, kind, pin or expiry (200). */
    @PATCH
    @Path("/memories/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response change(@PathParam("threadId") String threadId, @PathParam("id") String id, String body);

    /** Forgets a memory (204). */
    @DELETE
    @Path("/memories/{id}")
    Response forget(@PathParam("threadId") String threadId, @PathParam("id") String id);

    /** A core block ({@code persona} or {@code owner}). */
    @GET
    @Path("/core-blocks/{name}")
    Response coreBlock(@PathParam("threadId") String threadId, @PathParam("name") String name);

    /** Replaces a core block's text (200; over the cap 413). */
    @PUT
    @Path("/core-blocks/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response writeCoreBlock(@PathParam("threadId") String threadId, @PathParam("name") String name, String body);

    /** The heartbeat's checklist: {@code {"checklist","updatedAt"}}. */
    @GET
    @Path("/heartbeat")
    Response heartbeat(@PathParam("threadId") String threadId);

    /** Replaces the heartbeat's checklist, {@code {"checklist"}} (200). */
    @PUT
    @Path("/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    Response writeHeartbeat(@PathParam("threadId") String threadId, String body);

    /** The heartbeat's recent runs, newest first, and today's usage: {@code {"runs","today"}}. */
    @GET
    @Path("/heartbeat/runs")
    Response heartbeatRuns(@PathParam("threadId") String threadId, @QueryParam("limit") String limit);

    /** What the turn's assistant saw, layer by layer. */
    @GET
    @Path("/turns/{turnId}/context")
    Response turnContext(@PathParam("threadId") String threadId, @PathParam("turnId") String turnId);
}
