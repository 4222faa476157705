package io.mainloop.memory.rest;

import io.mainloop.contracts.Granularity;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.repository.SummaryEntity;
import io.mainloop.memory.repository.SummaryRepository;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The pyramid's summaries, for the web app's timeline. */
@Path("/api/threads/{threadId}/summaries")
@Produces(MediaType.APPLICATION_JSON)
public class SummariesResource {

    /** A summary as the API shows it (docs/memory.md); {@code text} is null while pending. */
    public record SummaryView(UUID id, Granularity granularity, LocalDate periodStart, LocalDate periodEnd,
                              String label, String status, String text, Integer tokens, Instant coversFrom,
                              Instant coversTo, int sourceCount, String model, BigDecimal costUsd, int attempts,
                              String lastError, Instant completedAt) {
    }

    /**
     * The summaries found, and the time zone their days are counted in.
     *
     * @param summaries newest first
     * @param timeZone e.g. {@code Europe/Paris}
     */
    public record Summaries(List<SummaryView> summaries, String timeZone) {
    }

    @Inject
    SummaryRepository summaries;

    @Inject
    TimeSource time;

    /**
     * {@code GET /api/threads/{threadId}/summaries?granularity=&from=&to=}: summaries whose period
     * starts in {@code [from, to)} (days; default all), of one granularity or all. 400 on bad values.
     */
    @GET
    @Transactional
    public Summaries list(@PathParam("threadId") String threadId, @QueryParam("granularity") String granularity,
                          @QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate start = Params.day("from", from, LocalDate.of(1970, 1, 1));
        LocalDate end = Params.day("to", to, LocalDate.of(9999, 1, 1));
        List<SummaryEntity> found;
        if (granularity == null || granularity.isBlank()) {
            found = summaries.between(threadId, start, end);
        } else {
            Granularity g;
            try {
                g = Granularity.valueOf(granularity.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new MemoryRequestException(400, "granularity must be DAILY, WEEKLY or MONTHLY");
            }
            found = summaries.between(threadId, g, start, end).reversed();
        }
        return new Summaries(found.stream().map(SummariesResource::view).toList(), time.zone().getId());
    }

    static SummaryView view(SummaryEntity s) {
        return new SummaryView(s.id, s.granularity, s.periodStart, s.periodEnd, s.granularity.label(s.periodStart),
                s.status, s.text, s.tokens, s.coversFrom, s.coversTo, s.sourceCount, s.model, s.costUsd, s.attempts,
                s.lastError, s.completedAt);
    }
}
