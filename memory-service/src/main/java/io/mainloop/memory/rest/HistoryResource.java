package io.mainloop.memory.rest;

import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The zoom-in: every message of a period, in full. */
@Path("/api/threads/{threadId}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    /**
     * A period's messages.
     *
     * @param messages oldest first
     * @param truncated whether more messages lie in the period (ask again from the last one's time)
     */
    public record History(List<MessageView> messages, boolean truncated) {
    }

    @Inject
    MessageRepository messages;

    @Inject
    TimeSource time;

    /**
     * {@code GET /api/threads/{threadId}/history?from=&to=&limit=}: messages with
     * {@code from <= createdAt < to} (days in the owner's time zone or ISO instants; default the
     * last 24 hours), oldest first, at most {@code limit} (1-1000, default 200). 400 on bad values.
     */
    @GET
    @Transactional
    public History history(@PathParam("threadId") String threadId, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("limit") String limit) {
        Instant end = Params.instant("to", to, time, time.now().plusSeconds(1));
        Instant start = Params.instant("from", from, time, end.minusSeconds(24 * 3600));
        int max = Params.integer("limit", limit, 200, 1, 1000);
        List<MessageEntity> found = messages.between(threadId, start, end, max + 1);
        boolean truncated = found.size() > max;
        return new History(found.stream().limit(max).map(ThreadMessagesResource::view).toList(), truncated);
    }
}
