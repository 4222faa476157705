package io.mainloop.gateway.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * agent-service's task API for one thread ({@code quarkus.rest-client.agent.url}; docs/tasks.md):
 * the thread's sub-agent tasks and its inbox. Bodies go through as JSON text, unchanged; every
 * method answers the raw {@link Response} so its status (200, 201, 202, 204) can be passed on. A
 * 4xx or 5xx answer is thrown as a {@link jakarta.ws.rs.WebApplicationException} whose response
 * holds the problem body. The live log (server-sent events) is relayed by {@link TaskLogRelay}.
 */
@RegisterRestClient(configKey = "agent")
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(InternalApiToken.class)
@Path("/api/threads/{threadId}")
@Produces(MediaType.APPLICATION_JSON)
public interface AgentApiClient {

    /** Starts a task ({@code TaskRequest}): 201 with the {@code Task}. */
    @POST
    @Path("/tasks")
    @Consumes(MediaType.APPLICATION_JSON)
    Response start(@PathParam("threadId") String threadId, String body);

    /** The thread's tasks, newest first: {@code {"tasks"}}. */
    @GET
    @Path("/tasks")
    Response tasks(@PathParam("threadId") String threadId);

    /** One task. */
    @GET
    @Path("/tasks/{id}")
    Response task(@PathParam("threadId") String threadId, @PathParam("id") String id);

    /** Cancels a task (202; an ended task: 409). */
    @POST
    @Path("/tasks/{id}/cancel")
    Response cancel(@PathParam("threadId") String threadId, @PathParam("id") String id);

    /** Runs a failed or cancelled task again (202; other phases: 409). */
    @POST
    @Path("/tasks/{id}/retry")
    Response retry(@PathParam("threadId") String threadId, @PathParam("id") String id);

    /** Answers a task's question, {@code {"text"}} (202; not NeedsInput: 409). */
    @POST
    @Path("/tasks/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    Response answer(@PathParam("threadId") String threadId, @PathParam("id") String id, String body);

    /** What needs the owner, newest first: {@code {"items"}}. */
    @GET
    @Path("/inbox")
    Response inbox(@PathParam("threadId") String threadId);

    /** A result or failure no longer needs the owner (204). */
    @POST
    @Path("/inbox/{taskId}/seen")
    Response seen(@PathParam("threadId") String threadId, @PathParam("taskId") String taskId);
}
