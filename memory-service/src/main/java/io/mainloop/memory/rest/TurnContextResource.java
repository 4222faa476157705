package io.mainloop.memory.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.contracts.EventIds;
import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.TurnContextRepository;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;

/** What a turn's assistant saw, so the owner can check it. */
@Path("/api/threads/{threadId}/turns/{turnId}/context")
@Produces(MediaType.APPLICATION_JSON)
public class TurnContextResource {

    /**
     * A turn's context.
     *
     * @param estimatedTokens mainloop's estimate of everything it sent (4 characters a token)
     * @param reportedInputTokens what the CLI reported for the turn (input, cache read and cache
     *        creation tokens summed over its model calls, Claude Code's own system prompt and tools
     *        included); null until the turn completed
     * @param assemblyMs how long memory-service took to assemble it, ms
     * @param layers in context order, each with its items and token count
     * @param dropped what did not fit, in the order it was dropped
     */
    public record TurnContext(UUID turnId, Instant assembledAt, int budgetTokens, int estimatedTokens,
                              Long reportedInputTokens, double assemblyMs, JsonNode layers, JsonNode dropped) {
    }

    @Inject
    TurnContextRepository contexts;

    @Inject
    MessageRepository messages;

    /** {@code GET}: the recorded context; 404 if the turn is unknown (or older than this feature). */
    @GET
    @Transactional
    public TurnContext get(@PathParam("threadId") String threadId, @PathParam("turnId") String turnId) {
        UUID id = Params.uuid("turnId", turnId);
        TurnContextRepository.Recorded r = contexts.find(threadId, id)
                .orElseThrow(() -> new MemoryRequestException(404, "no recorded context for turn " + turnId));
        MessageEntity reply = messages.findById(EventIds.named("reply", id));
        Long reported = reply == null || reply.inputTokens == null ? null
                : reply.inputTokens + orZero(reply.cacheReadInputTokens) + orZero(reply.cacheCreationInputTokens);
        return new TurnContext(r.turnId(), r.assembledAt(), r.budgetTokens(), r.estimatedTokens(), reported,
                r.assemblyMs(), r.layers(), r.dropped());
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
