package io.mainloop.gateway.rest;

import static io.mainloop.gateway.rest.Forwarding.forward;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The heartbeat of the caller's thread (issue 12): its checklist ({@code HEARTBEAT.md}) and its
 * recent runs with today's usage, forwarded to memory-service's
 * {@code /api/threads/{thread}/heartbeat} for the caller's thread ({@link CallerThread}). Query and body go
 * through unchanged; memory-service's status and problem body come back unchanged;
 * memory-service unreachable: 503 problem. Authenticated callers only, as all of {@code /api} ({@link OwnerFilter}).
 */
@Path("/api/heartbeat")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class HeartbeatResource {

    @Inject
    CallerThread caller;

    @Inject
    @RestClient
    MemoryApiClient memory;

    /** {@code GET /api/heartbeat}: {@code {"checklist": "<markdown>", "updatedAt": "<instant>"}}. */
    @GET
    public Response checklist() {
        return forward("the heartbeat", () -> memory.heartbeat(caller.threadId()));
    }

    /** {@code PUT /api/heartbeat} with {@code {"checklist": "<markdown>"}}: 200 with the checklist as stored. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response writeChecklist(String body) {
        return forward("the heartbeat", () -> memory.writeHeartbeat(caller.threadId(), body));
    }

    /**
     * {@code GET /api/heartbeat/runs?limit=N}: {@code {"runs": [{"id","firedAt","outcome","reason","turnId",
     * "inputTokens","outputTokens","costUsd"}], "today": {"beats","modelCalls","inputTokens",
     * "outputTokens","costUsd","budgetTokens","budgetUsd"}}}, newest run first; outcome one of
     * SKIPPED, BUSY, SILENT, POSTED, FAILED, BUDGET_SPENT.
     */
    @GET
    @Path("/runs")
    public Response runs(@QueryParam("limit") String limit) {
        return forward("the heartbeat", () -> memory.heartbeatRuns(caller.threadId(), limit));
    }
}
