package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import io.mainloop.gateway.service.ClientStream;
import io.mainloop.gateway.service.StreamCursor;
import io.mainloop.gateway.service.StreamReplayer;
import io.mainloop.gateway.service.ThreadStreamHub;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * {@code GET /api/thread/stream}: server-sent events of everything that happens in the caller's
 * own thread ({@link CallerThread}; never another's) ({@code message.stored}, {@code turn.started}, {@code text.delta}, {@code tool.call},
 * {@code tool.result}, {@code turn.completed}, {@code turn.failed}, and the sub-agent tasks'
 * {@code task.created}, {@code task.started}, {@code task.needs-input}, {@code task.finished}); the event name is the
 * type, the data the event's JSON, the id a resumable cursor. Reconnect with
 * {@code Last-Event-ID} to receive what was missed (WHATWG HTML, server-sent events); a page
 * that opens a new {@code EventSource} (which cannot set that header) passes the same cursor as
 * {@code ?lastEventId=}. The header wins if both are present.
 */
@Path("/api/thread/stream")
public class ThreadStreamResource {

    @Inject
    ThreadStreamHub hub;

    @Inject
    StreamReplayer replayer;

    @Inject
    GatewayConfig config;

    @Inject
    CallerThread caller;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId,
                                          @QueryParam("lastEventId") String lastEventIdParam, @Context Sse sse) {
        String cursor = lastEventId != null && !lastEventId.isBlank() ? lastEventId : lastEventIdParam;
        Multi<OutboundSseEvent> events = ClientStream.open(hub, replayer, caller.threadId(), StreamCursor.parse(cursor))
                .map(e -> sse.newEventBuilder().id(e.cursor().toId()).name(e.type())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, e.json()).build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(config.sseKeepAlive())
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(events, keepAlive);
    }
}
