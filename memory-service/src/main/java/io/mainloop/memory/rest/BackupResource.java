package io.mainloop.memory.rest;

import io.mainloop.memory.backup.BackupService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/** Full backup and restore of a thread (docs/memory.md, "Export, backup and restore"). */
@Path("/api/threads/{threadId}")
public class BackupResource {

    /** The archive's media type. */
    static final String ZIP = "application/zip";

    @Inject
    BackupService backups;

    /** {@code GET /backup}: everything of the thread as one zip archive ({@link BackupService}), streamed. */
    @GET
    @Path("/backup")
    @Produces(ZIP)
    public Response backup(@PathParam("threadId") String threadId) {
        StreamingOutput body = out -> backups.backup(threadId, out);
        return Response.ok(body, ZIP).header("Content-Disposition", "attachment; filename=\"mainloop-"
                + ExportResource.safe(threadId) + "-backup.zip\"").build();
    }

    /**
     * {@code POST /restore} with a backup archive: 200 with {@code {"threadId","fromThread","rows"}};
     * 400 problem if it is not one, 409 if the thread already has history.
     */
    @POST
    @Path("/restore")
    @Consumes({ZIP, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public BackupService.Restored restore(@PathParam("threadId") String threadId, InputStream archive) {
        return backups.restore(threadId, archive);
    }
}
