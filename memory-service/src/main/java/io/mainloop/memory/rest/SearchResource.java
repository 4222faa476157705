package io.mainloop.memory.rest;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.search.SearchHit;
import io.mainloop.memory.search.SearchQuery;
import io.mainloop.memory.search.SearchService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Recall: hybrid search over the thread's messages, summaries and memories (docs/memory.md, "Search"). */
@Path("/api/threads/{threadId}/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    /**
     * The hits, best first.
     *
     * @param query the query as understood
     * @param asOf the instant time weighting and named periods were resolved against
     * @param tookMs how long the search took, ms
     */
    public record SearchResult(String query, Instant asOf, long tookMs, List<SearchHit> hits) {
    }

    @Inject
    SearchService search;

    @Inject
    TimeSource time;

    @Inject
    MemoryConfig config;

    /**
     * {@code GET ?q=&limit=&from=&to=&kind=&role=&asOf=}: {@code kind} is MESSAGE, SUMMARY or MEMORY
     * (comma-separated or repeated; default all), {@code from}/{@code to} days (YYYY-MM-DD, the
     * owner's zone) or ISO instants bounding when items were written ({@code to} excluded),
     * {@code asOf} an ISO instant (default now), {@code limit} 1 to
     * {@code mainloop.memory.search.max-hits} (default 10). 400 problem on bad input, 503 if
     * search is disabled.
     */
    @GET
    public SearchResult search(@PathParam("threadId") String threadId, @QueryParam("q") String q,
                               @QueryParam("limit") String limit, @QueryParam("from") String from,
                               @QueryParam("to") String to, @QueryParam("kind") List<String> kind,
                               @QueryParam("role") String role, @QueryParam("asOf") String asOf) {
        if (q == null || q.isBlank()) {
            throw new MemoryRequestException(400, "q is required");
        }
        if (q.length() > 2000) {
            throw new MemoryRequestException(400, "q must be at most 2000 characters");
        }
        int max = Params.integer("limit", limit, 10, 1, config.search().maxHits());
        Instant asOfInstant = Params.instant("asOf", asOf, time, time.now());
        Set<String> kinds = new LinkedHashSet<>();
        for (String k : kind == null ? List.<String>of() : kind) {
            for (String part : k.split(",")) {
                if (!part.isBlank()) {
                    kinds.add(part.strip().toUpperCase(Locale.ROOT));
                }
            }
        }
        long start = System.nanoTime();
        List<SearchHit> hits = search.search(new SearchQuery(threadId, q.strip(), max,
                Params.instant("from", from, time, null), Params.instant("to", to, time, null), kinds,
                role == null || role.isBlank() ? null : role.strip().toUpperCase(Locale.ROOT), asOfInstant));
        return new SearchResult(q.strip(), asOfInstant, (System.nanoTime() - start) / 1_000_000, hits);
    }
}
