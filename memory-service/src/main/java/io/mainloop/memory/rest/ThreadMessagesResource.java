package io.mainloop.memory.rest;

import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.service.ConversationService;
import io.mainloop.support.rest.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Read-only history API (writes go through Kafka only). Cursor pagination: each page is
 * oldest-first and {@code nextBefore} fetches the page before it.
 */
@Path("/api/threads/{threadId}/messages")
@Produces(MediaType.APPLICATION_JSON)
public class ThreadMessagesResource {

    /** Largest page. */
    public static final int MAX_LIMIT = 200;

    @Inject
    MessageRepository messages;

    @Inject
    ConversationService conversation;

    /**
     * {@code GET /api/threads/{threadId}/messages?before=<seq>&limit=<n>}: up to {@code limit}
     * (1-200, default 50) messages stored before {@code before} (default: the newest).
     * Bad parameters answer 400 with an RFC 9457 problem body.
     */
    @GET
    public Response page(@PathParam("threadId") String threadId, @QueryParam("before") String before,
                         @QueryParam("limit") String limit) {
        Long beforeSeq;
        int size;
        try {
            beforeSeq = before == null || before.isBlank() ? null : Long.parseLong(before);
            size = limit == null || limit.isBlank() ? 50 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "before and limit must be whole numbers");
        }
        if (size < 1 || size > MAX_LIMIT) {
            return Problem.response(Response.Status.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
        }
        List<MessageEntity> page = messages.page(threadId, beforeSeq, size);
        Long nextBefore = page.size() < size || page.isEmpty() ? null : page.getFirst().seq;
        return Response.ok(new MessagePage(page.stream().map(ThreadMessagesResource::view).toList(), nextBefore)).build();
    }

    /** The history API's view of {@code m}. */
    static MessageView view(MessageEntity m) {
        return new MessageView(m.id, m.seq, m.role, m.text, m.createdAt, m.turnId, m.usage(), m.costUsd, m.durationMs,
                m.toolCalls == null ? List.of() : m.toolCalls, m.blocks == null ? List.of() : m.blocks, m.turnKind, m.proactive);
    }
}
