package io.mainloop.memory.rest;

import io.mainloop.memory.backup.ExportService;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryRequestException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Export of a thread's history as a file (docs/memory.md, "Export, backup and restore"). */
@Path("/api/threads/{threadId}/export")
public class ExportResource {

    @Inject
    ExportService export;

    @Inject
    TimeSource time;

    /**
     * {@code GET ?format=jsonl|md&from=&to=&kind=}: the messages, summaries and memories written in
     * {@code [from, to)} (days in the owner's zone or ISO instants; default all), of the kinds asked
     * for (MESSAGE, SUMMARY, MEMORY; comma-separated or repeated; default all), streamed as JSON
     * lines ({@code application/x-ndjson}, the default) or Markdown ({@code text/markdown}), as an
     * attachment. 400 problem on a bad parameter.
     */
    @GET
    public Response export(@PathParam("threadId") String threadId, @QueryParam("format") String format,
                           @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("kind") List<String> kind) {
        String f = format == null || format.isBlank() ? "jsonl" : format.strip().toLowerCase(Locale.ROOT);
        if (!f.equals("jsonl") && !f.equals("md")) {
            throw new MemoryRequestException(400, "format must be jsonl or md, not " + format);
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (String k : kind == null ? List.<String>of() : kind) {
            for (String part : k.split(",")) {
                String name = part.strip().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!ExportService.KINDS.contains(name)) {
                    throw new MemoryRequestException(400, "kind must be MESSAGE, SUMMARY or MEMORY, not " + part.strip());
                }
                kinds.add(name);
            }
        }
        ExportService.Request request = new ExportService.Request(threadId, Params.instant("from", from, time, null),
                Params.instant("to", to, time, null), kinds, f.equals("md"));
        StreamingOutput body = out -> export.export(request, out);
        return Response.ok(body, f.equals("md") ? "text/markdown; charset=utf-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"mainloop-" + safe(threadId) + "." + f + "\"")
                .build();
    }

    /** A thread id fit for a file name. */
    static String safe(String threadId) {
        return threadId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
