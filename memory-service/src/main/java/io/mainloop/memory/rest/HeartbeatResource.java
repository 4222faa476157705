package io.mainloop.memory.rest;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.heartbeat.HeartbeatChecklistService;
import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.memory.repository.HeartbeatChecklistRepository.Checklist;
import io.mainloop.memory.repository.HeartbeatRunEntity;
import io.mainloop.memory.repository.HeartbeatRunRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The heartbeat of a thread (docs/scheduler.md): its checklist {@code HEARTBEAT.md} and its usage. */
@Path("/api/threads/{threadId}/heartbeat")
@Produces(MediaType.APPLICATION_JSON)
public class HeartbeatResource {

    /** The checklist; {@code updatedAt} null if never written. */
    public record ChecklistView(String checklist, int maxChars, Instant updatedAt) {
    }

    /** A new checklist. */
    public record ChecklistText(String checklist) {
    }

    /**
     * One heartbeat firing.
     *
     * @param outcome RUNNING, SKIPPED, BUSY, SILENT, POSTED, FAILED or BUDGET_SPENT
     * @param reason why it was skipped or failed
     * @param contextTokens memory-service's estimate of its light context, tokens
     */
    public record RunView(UUID id, Instant firedAt, String outcome, String reason, UUID turnId, Integer contextTokens,
                          Long inputTokens, Long outputTokens, BigDecimal costUsd) {
    }

    /**
     * Today's heartbeats (the owner's day) against the budget.
     *
     * @param beats firings today
     * @param modelCalls of those, the ones that called the model
     */
    public record Today(long beats, long modelCalls, long inputTokens, long outputTokens, BigDecimal costUsd,
                        long budgetTokens, BigDecimal budgetUsd) {
    }

    /** The newest runs and today's totals. */
    public record Runs(List<RunView> runs, Today today) {
    }

    @Inject
    HeartbeatChecklistService heartbeat;

    @Inject
    MemoryConfig config;

    /** {@code GET}: the checklist (empty if never written). */
    @GET
    public ChecklistView get(@PathParam("threadId") String threadId) {
        return view(heartbeat.get(threadId));
    }

    /** {@code PUT}: rewrites the checklist; 400 without one, 413 over the cap. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public ChecklistView put(@PathParam("threadId") String threadId, ChecklistText body) {
        if (body == null || body.checklist() == null) {
            throw new MemoryRequestException(400, "a JSON body with checklist is required");
        }
        return view(heartbeat.put(threadId, body.checklist()));
    }

    /** {@code GET /runs?limit=N}: the newest runs (default 50, at most 500), newest first, and today's totals. */
    @GET
    @Path("/runs")
    public Runs runs(@PathParam("threadId") String threadId, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new MemoryRequestException(400, "limit must be between 1 and 500");
        }
        List<RunView> runs = heartbeat.runs(threadId, limit).stream().map(HeartbeatResource::view).toList();
        HeartbeatRunRepository.Totals t = heartbeat.today(threadId);
        return new Runs(runs, new Today(t.beats(), t.modelCalls(), t.inputTokens(), t.outputTokens(), t.costUsd(),
                config.heartbeat().dailyTokenBudget(), config.heartbeat().dailyCostBudgetUsd()));
    }

    private ChecklistView view(Checklist c) {
        return new ChecklistView(c.checklist(), config.heartbeat().checklistMaxChars(), c.updatedAt());
    }

    private static RunView view(HeartbeatRunEntity r) {
        return new RunView(r.id, r.firedAt, r.outcome.name(), r.reason, r.turnId, r.contextTokens, r.inputTokens,
                r.outputTokens, r.costUsd);
    }
}
