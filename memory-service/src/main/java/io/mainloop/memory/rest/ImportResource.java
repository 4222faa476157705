package io.mainloop.memory.rest;

import io.mainloop.memory.search.ImportService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Import of outside history into a thread (docs/memory.md, "Import"). */
@Path("/api/threads/{threadId}/import")
public class ImportResource {

    @Inject
    ImportService imports;

    /**
     * {@code POST} NDJSON ({@code application/x-ndjson}; one message per line: {@code role},
     * {@code text}, {@code timestamp}, optional {@code externalId} and {@code sessionId}): 200 with
     * how many were imported and skipped (already there by external id); 400 problem naming every
     * bad line (up to 20) with nothing imported.
     */
    @POST
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public ImportService.Result importMessages(@PathParam("threadId") String threadId, InputStream body) {
        return imports.importNdjson(threadId, new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
    }
}
