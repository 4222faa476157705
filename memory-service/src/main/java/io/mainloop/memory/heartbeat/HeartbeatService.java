package io.mainloop.memory.heartbeat;

import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnKind;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.contracts.Usage;
import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.repository.HeartbeatRunEntity;
import io.mainloop.memory.repository.HeartbeatRunEntity.Outcome;
import io.mainloop.memory.repository.HeartbeatRunRepository;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.OutboxRepository;
import io.mainloop.memory.repository.ThreadStateEntity;
import io.mainloop.memory.repository.ThreadStateRepository;
import io.mainloop.memory.repository.TurnContextRepository;
import io.mainloop.memory.service.ConversationService;
import io.mainloop.memory.service.StoredText;
import io.mainloop.support.ledger.ProcessedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Heartbeat turns (docs/scheduler.md): a heartbeat firing ({@code mainloop.schedule.fired}, kind
 * HEARTBEAT) becomes a cheap turn with a {@link HeartbeatContext light context}, unless a guardrail
 * stops it first, in this order:
 * <ol>
 *   <li>a turn runs, or a message waits for one: skipped ({@link Outcome#BUSY}), not queued;</li>
 *   <li>today's heartbeat tokens or cost reached the budget: {@link Outcome#BUDGET_SPENT}, with one
 *       visible notice in the thread the first time each day;</li>
 *   <li>an empty {@code HEARTBEAT.md} and no task changed since the last beat: {@link Outcome#SKIPPED},
 *       no model call, logged (an idle day costs nothing).</li>
 * </ol>
 * A reply of exactly {@code HEARTBEAT_OK} (trimmed) is kept in the run only ({@link Outcome#SILENT}:
 * not shown, not pushed, counted); any other reply is posted as a proactive message
 * ({@link Outcome#POSTED}), which the gateway pushes. A failed heartbeat is shown once per run of
 * failures. Every firing is recorded once (its run's id is the firing id).
 */
@ApplicationScoped
public class HeartbeatService {

    /** The reply that means "nothing to say". */
    public static final String OK = "HEARTBEAT_OK";

    private static final Logger LOG = Logger.getLogger(HeartbeatService.class);

    @Inject
    ProcessedEventRepository processedEvents;

    @Inject
    HeartbeatRunRepository runs;

    @Inject
    ThreadStateRepository states;

    @Inject
    MessageRepository messages;

    @Inject
    OutboxRepository outbox;

    @Inject
    TurnContextRepository turnContexts;

    @Inject
    HeartbeatContext context;

    @Inject
    ConversationService conversation;

    @Inject
    TimeSource time;

    @Inject
    MemoryConfig config;

    /**
     * Handles a heartbeat firing once: records its run and, if no guardrail stops it, starts its
     * turn (the {@link TurnRequested} goes to the outbox in this transaction).
     *
     * @return the thread whose outbox to publish
     */
    @Transactional
    public String fire(ScheduleFired fired) {
        String threadId = fired.threadId();
        if (!processedEvents.markProcessed(fired.eventId(), Topics.SCHEDULE_FIRED) || runs.findById(fired.firingId()) != null) {
            return threadId;
        }
        Instant now = time.now();
        HeartbeatRunEntity run = new HeartbeatRunEntity();
        run.id = fired.firingId();
        run.threadId = threadId;
        run.firedAt = now;
        List<ThreadEvent> out = new ArrayList<>();
        ThreadStateEntity state = states.lock(threadId);
        Instant dayStart = time.startOf(time.today());
        HeartbeatRunRepository.Totals today = runs.since(threadId, dayStart);
        if (state.activeTurnId != null || !messages.waiting(threadId).isEmpty()) {
            end(run, Outcome.BUSY, state.activeTurnId != null ? "a turn was running" : "a message was waiting for a turn");
        } else if (spent(today)) {
            if (!runs.any(threadId, dayStart, Outcome.BUDGET_SPENT)) {
                out.add(conversation.stored(notice(threadId, run.id, "Heartbeats are paused until tomorrow: today's "
                        + "heartbeat budget (" + config.heartbeat().dailyTokenBudget() + " tokens, $"
                        + config.heartbeat().dailyCostBudgetUsd().toPlainString() + ") is spent.")));
            }
            end(run, Outcome.BUDGET_SPENT, "today's budget is spent (" + (today.inputTokens() + today.outputTokens())
                    + " tokens, $" + today.costUsd().toPlainString() + ")");
        } else {
            Instant since = runs.lastLooked(threadId).map(r -> r.firedAt).orElse(null);
            HeartbeatContext.Light light = context.assemble(threadId, since, now);
            if (light.checklistEmpty() && !light.somethingNew()) {
                end(run, Outcome.SKIPPED, "nothing to look at: HEARTBEAT.md is empty and no task changed since the last beat");
            } else {
                UUID turnId = EventIds.named("heartbeat-turn", run.id);
                run.outcome = Outcome.RUNNING;
                run.turnId = turnId;
                run.contextTokens = light.estimatedTokens();
                state.activeTurnId = turnId;
                state.activeSince = Instant.now();
                turnContexts.record(turnId, threadId, now, light.estimatedTokens(), light.estimatedTokens(), 0,
                        light.layers(), List.of());
                out.add(new TurnRequested(EventIds.named("turn-requested", turnId), Instant.now(),
                        TurnRequested.SCHEMA_VERSION, threadId, turnId, List.of(), light.prompt(), light.systemPrompt(),
                        List.of(), light.estimatedTokens(), TurnKind.HEARTBEAT, fired.model()));
            }
        }
        runs.persist(run);
        LOG.infof("heartbeat %s of thread %s: %s%s", run.id, threadId, run.outcome, run.reason == null ? "" : " (" + run.reason + ")");
        outbox.add(out);
        return threadId;
    }

    /**
     * The end of a heartbeat's turn, called by {@link ConversationService} in its transaction:
     * records the run's outcome, usage and reply, and returns the message to post, if any
     * (a reply other than {@code HEARTBEAT_OK}, or the first failure in a row), else null.
     *
     * @param end what the turn ended with: an ASSISTANT reply (with usage) or a SYSTEM failure text
     */
    public MessageEntity ended(HeartbeatRunEntity run, MessageEntity end) {
        if (run.outcome != Outcome.RUNNING) {
            return null; // recorded before
        }
        run.endedAt = time.now();
        Usage usage = end.usage() == null ? Usage.NONE : end.usage();
        run.inputTokens = usage.inputTokens() + usage.cacheReadInputTokens() + usage.cacheCreationInputTokens();
        run.outputTokens = usage.outputTokens();
        run.costUsd = end.costUsd;
        run.reply = end.text;
        end.turnKind = TurnKind.HEARTBEAT;
        if (end.role == Role.ASSISTANT) {
            if (OK.equals(end.text == null ? null : end.text.strip())) {
                run.outcome = Outcome.SILENT;
                return null;
            }
            run.outcome = Outcome.POSTED;
            end.proactive = true;
            return end;
        }
        boolean firstFailure = !runs.previousFailed(run.threadId, run.firedAt);
        run.outcome = Outcome.FAILED;
        run.reason = end.text;
        return firstFailure ? end : null;
    }

    private boolean spent(HeartbeatRunRepository.Totals today) {
        return today.inputTokens() + today.outputTokens() >= config.heartbeat().dailyTokenBudget()
                || today.costUsd().compareTo(config.heartbeat().dailyCostBudgetUsd()) >= 0;
    }

    private MessageEntity notice(String threadId, UUID runId, String text) {
        MessageEntity m = new MessageEntity();
        m.id = EventIds.named("heartbeat-notice", runId);
        m.threadId = threadId;
        m.role = Role.SYSTEM;
        m.text = StoredText.clean(text);
        m.createdAt = time.now();
        m.turnId = EventIds.named("heartbeat-notice-no-turn", runId); // shown, answered by no turn
        m.turnKind = TurnKind.HEARTBEAT;
        messages.insertIfAbsent(m);
        return m;
    }

    private static void end(HeartbeatRunEntity run, Outcome outcome, String reason) {
        run.outcome = outcome;
        run.reason = reason;
        run.endedAt = run.firedAt;
    }
}
