package io.mainloop.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** memory-service's read-only history API ({@code quarkus.rest-client.memory.url}). */
@RegisterRestClient(configKey = "memory")
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(InternalApiToken.class)
@Path("/api/threads/{threadId}/messages")
public interface MemoryClient {

    /** A page of history, oldest first, with {@code nextBefore}; see memory-service. */
    @GET
    JsonNode page(@PathParam("threadId") String threadId, @QueryParam("before") String before,
                  @QueryParam("limit") String limit);
}
