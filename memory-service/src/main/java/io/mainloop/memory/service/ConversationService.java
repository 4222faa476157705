package io.mainloop.memory.service;

import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.ConversationEvent.MessageStored;
import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.contracts.Usage;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.OutboxRepository;
import io.mainloop.support.ledger.ProcessedEventRepository;
import io.mainloop.memory.repository.ThreadStateEntity;
import io.mainloop.memory.repository.ThreadStateRepository;
import io.mainloop.memory.repository.TurnPartRepository;
import io.mainloop.memory.compaction.TaggedLines;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The thread's bookkeeping: stores messages, runs one turn at a time per thread, and says which
 * events to publish once the transaction has committed.
 *
 * <p>Messages that arrive while a turn runs wait, and are <b>folded into the next turn</b>: when
 * the running turn ends, one turn answers all waiting messages, its context assembled then (so
 * it includes the reply just stored). What follows a change is written to the transactional
 * outbox ({@link OutboxRepository}) in the same transaction, and published from there. Every
 * event has a deterministic id ({@link EventIds}), so one published twice (a relay that failed
 * after Kafka's acknowledgement) is dropped by its consumers.
 */
@ApplicationScoped
public class ConversationService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ConversationService.class);

    @Inject
    MessageRepository messages;

    @Inject
    ThreadStateRepository states;

    @Inject
    TurnPartRepository parts;

    @Inject
    ProcessedEventRepository processedEvents;

    @Inject
    ContextAssembler contextAssembler;

    @Inject
    OutboxRepository outbox;

    @Inject
    io.mainloop.memory.repository.TurnContextRepository turnContexts;

    @Inject
    io.mainloop.memory.config.TimeSource time;

    @Inject
    io.mainloop.memory.memories.MemoryService memories;

    @Inject
    io.mainloop.memory.config.MemoryConfig config;

    @Inject
    io.mainloop.memory.repository.TaskChangeRepository taskChanges;

    @Inject
    io.mainloop.memory.repository.HeartbeatRunRepository heartbeatRuns;

    @Inject
    io.mainloop.memory.heartbeat.HeartbeatService heartbeats;

    /**
     * Stores an accepted user message (once, whatever the redeliveries) and starts a turn if
     * none runs; the events that follow ({@code message.stored}, maybe a {@link TurnRequested})
     * go to the outbox in the same transaction.
     *
     * @return the thread whose outbox to publish
     */
    @Transactional
    public String accept(MessageAccepted accepted) {
        if (!processedEvents.markProcessed(accepted.eventId(), Topics.CONVERSATION_INBOUND)) {
            return accepted.threadId(); // a redelivery: its events are in the outbox or out already
        }
        MessageEntity message = new MessageEntity();
        message.id = accepted.messageId();
        message.threadId = accepted.threadId();
        message.role = Role.USER;
        message.text = StoredText.clean(accepted.text());
        message.createdAt = time.now();
        if (!messages.insertIfAbsent(message)) {
            return accepted.threadId(); // the same message posted again (a retried POST)
        }
        LOG.infof("stored message %s of thread %s", message.id, message.threadId);
        rememberTaggedLines(message);
        List<ThreadEvent> out = new ArrayList<>();
        out.add(stored(message));
        ThreadStateEntity state = states.lock(accepted.threadId());
        if (state.activeTurnId == null) {
            addIfPresent(out, startNextTurn(state));
        }
        outbox.add(out);
        return accepted.threadId();
    }

    /**
     * Records what the agent reports: tool calls while a turn runs; on completion the
     * assistant's message (with usage, cost, duration and tool calls), on failure a system
     * message explaining it; then starts the next turn for waiting messages. What follows goes
     * to the outbox in the same transaction.
     *
     * @return the thread whose outbox to publish
     */
    @Transactional
    public String onAgentEvent(AgentEvent event) {
        if (event instanceof AgentEvent.TurnStarted || event instanceof AgentEvent.TextDelta) {
            return event.threadId(); // nothing to store: no ledger entry either (a turn streams many deltas)
        }
        if (!processedEvents.markProcessed(event.eventId(), Topics.AGENT_EVENTS)) {
            return event.threadId(); // a redelivery, or a re-attached turn's event read again
        }
        List<ThreadEvent> out = switch (event) {
            case AgentEvent.ToolCall call -> {
                parts.recordCall(call.turnId(), call.toolUseId(), call.name(), call.input());
                yield List.of();
            }
            case AgentEvent.ToolResult result -> {
                parts.recordResult(result.turnId(), result.toolUseId(), StoredText.output(result.output()),
                        result.isError());
                yield List.of();
            }
            case AgentEvent.TextBlock block -> {
                parts.recordText(block.turnId(), block.block(), StoredText.clean(block.text()));
                yield List.of();
            }
            case AgentEvent.TurnCompleted done -> finishTurn(done.threadId(), done.turnId(), reply -> {
                reply.role = Role.ASSISTANT;
                reply.text = done.text() == null ? "" : StoredText.clean(done.text());
                Usage usage = done.usage() == null ? Usage.NONE : done.usage();
                reply.inputTokens = usage.inputTokens();
                reply.outputTokens = usage.outputTokens();
                reply.cacheReadInputTokens = usage.cacheReadInputTokens();
                reply.cacheCreationInputTokens = usage.cacheCreationInputTokens();
                reply.costUsd = done.costUsd();
                reply.durationMs = done.durationMs();
            });
            case AgentEvent.TurnFailed failed -> finishTurn(failed.threadId(), failed.turnId(), reply -> {
                reply.role = Role.SYSTEM;
                reply.text = StoredText.clean("The turn failed (" + failed.reason() + "): " + failed.message());
                reply.durationMs = failed.durationMs();
            });
            case AgentEvent.TurnStarted started -> List.of();
            case AgentEvent.TextDelta delta -> List.of();
        };
        outbox.add(out);
        return event.threadId();
    }

    /**
     * Records a sub-agent task's end in its thread as a task-result entry (a SYSTEM message) and,
     * unless {@code mainloop.memory.report-task-results} is false, lets the assistant report it:
     * the entry waits like a user message and the next turn answers it. A question of a task
     * shows as an entry too, without a turn (the inbox holds it). Stored once per task attempt.
     *
     * @return the thread whose outbox to publish
     */
    @Transactional
    public String onTaskEvent(io.mainloop.contracts.TaskEvent event) {
        recordTaskChange(event);
        String text = switch (event) {
            case io.mainloop.contracts.TaskEvent.TaskFinished f -> switch (f.phase()) {
                case Succeeded -> "Task \"" + f.title() + "\" (" + f.taskId() + ") succeeded:\n" + cut(f.result());
                case Cancelled -> "Task \"" + f.title() + "\" (" + f.taskId() + ") was cancelled.";
                default -> "Task \"" + f.title() + "\" (" + f.taskId() + ") failed: " + cut(f.error());
            };
            case io.mainloop.contracts.TaskEvent.TaskNeedsInput q ->
                    "Task \"" + q.title() + "\" (" + q.taskId() + ") asks the owner: " + cut(q.question());
            default -> null;
        };
        if (text == null || !processedEvents.markProcessed(event.eventId(), Topics.TASK_EVENTS)) {
            return event.threadId();
        }
        boolean report = event instanceof io.mainloop.contracts.TaskEvent.TaskFinished && config.reportTaskResults();
        MessageEntity entry = new MessageEntity();
        entry.id = EventIds.named("task-entry", event.eventId());
        entry.threadId = event.threadId();
        entry.role = Role.SYSTEM;
        entry.text = StoredText.clean(text);
        entry.createdAt = time.now();
        entry.turnId = report ? null : EventIds.named("task-entry-no-turn", event.eventId()); // null: waits for a turn
        if (!messages.insertIfAbsent(entry)) {
            return event.threadId();
        }
        List<ThreadEvent> out = new ArrayList<>();
        out.add(stored(entry));
        ThreadStateEntity state = states.lock(event.threadId());
        if (report && state.activeTurnId == null) {
            addIfPresent(out, startNextTurn(state));
        }
        outbox.add(out);
        return event.threadId();
    }

    /** Keeps the task's latest state for heartbeats ({@code task_change}); idempotent. */
    private void recordTaskChange(io.mainloop.contracts.TaskEvent event) {
        switch (event) {
            case io.mainloop.contracts.TaskEvent.TaskCreated c -> taskChanges.record(c.taskId(), c.threadId(), c.title(),
                    io.mainloop.contracts.TaskPhase.Pending.name(), null, c.occurredAt());
            case io.mainloop.contracts.TaskEvent.TaskStarted st -> taskChanges.record(st.taskId(), st.threadId(), st.title(),
                    io.mainloop.contracts.TaskPhase.Running.name(), null, st.occurredAt());
            case io.mainloop.contracts.TaskEvent.TaskNeedsInput q -> taskChanges.record(q.taskId(), q.threadId(), q.title(),
                    io.mainloop.contracts.TaskPhase.NeedsInput.name(), q.question(), q.occurredAt());
            case io.mainloop.contracts.TaskEvent.TaskFinished f -> taskChanges.record(f.taskId(), f.threadId(), f.title(),
                    f.phase().name(), f.phase() == io.mainloop.contracts.TaskPhase.Succeeded ? f.result() : f.error(),
                    f.occurredAt());
            default -> {
            }
        }
    }

    /**
     * A scheduled prompt or reminder fired for this thread (kinds PROMPT and REMINDER, target
     * THREAD): stored once as an entry marked {@link io.mainloop.contracts.TurnKind#SCHEDULED}
     * (the web chat shows a clock), which waits like a message of the owner's and is answered by
     * the next turn, on the schedule's model. Heartbeats go to {@link io.mainloop.memory.heartbeat.HeartbeatService}.
     *
     * @return the thread whose outbox to publish
     */
    @Transactional
    public String onScheduleFired(io.mainloop.contracts.ScheduleFired fired) {
        if (!processedEvents.markProcessed(fired.eventId(), Topics.SCHEDULE_FIRED)) {
            return fired.threadId();
        }
        MessageEntity entry = new MessageEntity();
        entry.id = EventIds.named("schedule-entry", fired.firingId());
        entry.threadId = fired.threadId();
        entry.role = Role.SYSTEM;
        String title = fired.title() == null || fired.title().isBlank() ? "" : " \"" + fired.title().strip() + "\"";
        entry.text = StoredText.clean((fired.kind() == io.mainloop.contracts.ScheduleKind.REMINDER
                ? "Reminder" + title + " (set for " + fired.scheduledFor() + "): "
                : "Scheduled prompt" + title + ": ") + fired.prompt());
        entry.createdAt = time.now();
        entry.turnKind = io.mainloop.contracts.TurnKind.SCHEDULED;
        entry.model = fired.model();
        if (!messages.insertIfAbsent(entry)) {
            return fired.threadId();
        }
        LOG.infof("schedule %s fired into thread %s (firing %s)", fired.scheduleId(), fired.threadId(), fired.firingId());
        List<ThreadEvent> out = new ArrayList<>();
        out.add(stored(entry));
        ThreadStateEntity state = states.lock(fired.threadId());
        if (state.activeTurnId == null) {
            addIfPresent(out, startNextTurn(state));
        }
        outbox.add(out);
        return fired.threadId();
    }

    /** A task's text as kept in the thread: at most 8,000 characters (the whole is in the task). */
    private static String cut(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() <= 8000 ? t : t.substring(0, 8000) + "\n[... cut; get_task shows all]";
    }

    /**
     * Gives up the thread's active turn if it was requested before {@code cutoff} and its end
     * never arrived: stores a system message saying so (under the id the turn's reply would
     * have, so a late end changes nothing), asks the agent to cancel it, and starts the next
     * turn for waiting messages.
     *
     * @return whether a turn was given up
     */
    @Transactional
    public boolean giveUpIfStale(String threadId, Instant cutoff, String explanation) {
        ThreadStateEntity state = states.lock(threadId);
        if (state.activeTurnId == null || state.activeSince == null || state.activeSince.isAfter(cutoff)) {
            return false;
        }
        UUID turnId = state.activeTurnId;
        List<ThreadEvent> out = new ArrayList<>();
        out.add(new AgentCommand.CancelTurn(EventIds.named("give-up-cancel", turnId), Instant.now(),
                AgentCommand.SCHEMA_VERSION, threadId, turnId));
        out.addAll(finishTurn(threadId, turnId, reply -> {
            reply.role = Role.SYSTEM;
            reply.text = explanation;
        }));
        outbox.add(out);
        return true;
    }

    private List<ThreadEvent> finishTurn(String threadId, UUID turnId, java.util.function.Consumer<MessageEntity> fill) {
        MessageEntity reply = messages.findById(EventIds.named("reply", turnId));
        LOG.infof("turn %s of thread %s ended", turnId, threadId);
        java.util.Optional<io.mainloop.memory.repository.HeartbeatRunEntity> heartbeat = heartbeatRuns.ofTurn(turnId);
        if (reply == null) {
            reply = new MessageEntity();
            reply.id = EventIds.named("reply", turnId);
            reply.threadId = threadId;
            reply.turnId = turnId;
            reply.createdAt = time.now();
            fill.accept(reply);
            reply.toolCalls = parts.toolCalls(turnId);
            reply.blocks = parts.blocks(turnId);
            if (heartbeat.isPresent()) {
                reply = heartbeats.ended(heartbeat.get(), reply); // null: silent (HEARTBEAT_OK), or a failure shown before
            } else {
                io.mainloop.contracts.TurnKind kind = kindOf(messages.ofTurn(turnId));
                reply.turnKind = kind == io.mainloop.contracts.TurnKind.CHAT ? null : kind;
                reply.proactive = reply.role == Role.ASSISTANT && kind.proactive();
            }
            if (reply != null) {
                messages.insertIfAbsent(reply);
                rememberTaggedLines(reply);
            }
        }
        List<ThreadEvent> out = new ArrayList<>();
        if (reply != null) {
            out.add(stored(reply));
        }
        ThreadStateEntity state = states.lock(threadId);
        if (turnId.equals(state.activeTurnId)) {
            state.activeTurnId = null;
            state.activeSince = null;
            addIfPresent(out, startNextTurn(state));
        }
        return out;
    }

    /**
     * Why a turn answering {@code replyTo} runs: {@link io.mainloop.contracts.TurnKind#SCHEDULED}
     * when it answers scheduled entries and nothing of the owner's, else CHAT.
     */
    static io.mainloop.contracts.TurnKind kindOf(List<MessageEntity> replyTo) {
        boolean owner = replyTo.stream().anyMatch(m -> m.role == Role.USER);
        boolean scheduled = replyTo.stream().anyMatch(m -> m.turnKind == io.mainloop.contracts.TurnKind.SCHEDULED);
        return scheduled && !owner ? io.mainloop.contracts.TurnKind.SCHEDULED : io.mainloop.contracts.TurnKind.CHAT;
    }

    /**
     * Saves the tagged lines of a stored message ({@code [decision] ...}, see {@link TaggedLines})
     * as memories at once, in this transaction: a decision said is a memory before any summary.
     */
    private void rememberTaggedLines(MessageEntity m) {
        for (TaggedLines.Tagged line : TaggedLines.in(m.text)) {
            memories.remember(m.threadId, line.kind().name(), line.text(), false, null,
                    io.mainloop.memory.repository.MemoryEntity.Origin.MESSAGE, m.id, null);
        }
    }

    /** Starts a turn for all waiting messages, if any; the caller holds the thread's lock. */
    private TurnRequested startNextTurn(ThreadStateEntity state) {
        List<MessageEntity> waiting = messages.waiting(state.threadId);
        if (waiting.isEmpty()) {
            return null;
        }
        UUID turnId = EventIds.named("turn", waiting.getFirst().id);
        waiting.forEach(m -> m.turnId = turnId);
        state.activeTurnId = turnId;
        state.activeSince = Instant.now();
        return turnRequest(state.threadId, turnId);
    }

    private TurnRequested turnRequest(String threadId, UUID turnId) {
        List<MessageEntity> replyTo = messages.ofTurn(turnId).stream().filter(m -> m.role != Role.ASSISTANT).toList();
        long start = System.nanoTime();
        ContextAssembler.AssembledContext context = contextAssembler.assemble(threadId, replyTo);
        double assemblyMs = (System.nanoTime() - start) / 1e6;
        turnContexts.record(turnId, threadId, time.now(), context.budgetTokens(), context.estimatedTokens(), assemblyMs,
                context.layers(), context.dropped());
        String prompt = replyTo.stream().map(m -> m.role == Role.SYSTEM ? "[from mainloop, not the owner] " + m.text : m.text)
                .collect(Collectors.joining("\n\n"));
        io.mainloop.contracts.TurnKind kind = kindOf(replyTo);
        String model = kind == io.mainloop.contracts.TurnKind.SCHEDULED
                ? replyTo.stream().map(m -> m.model).filter(java.util.Objects::nonNull).findFirst().orElse(null) : null;
        return new TurnRequested(EventIds.named("turn-requested", turnId), Instant.now(), TurnRequested.SCHEMA_VERSION,
                threadId, turnId, replyTo.stream().map(m -> m.id).toList(), prompt, context.systemPrompt(),
                context.messages(), context.estimatedTokens(), kind, model);
    }

    /** The {@code message.stored} event of {@code m}; its id depends only on the message id. */
    public MessageStored stored(MessageEntity m) {
        return new MessageStored(EventIds.named("stored", m.id), Instant.now(), MessageStored.SCHEMA_VERSION,
                m.threadId, m.id, m.role, m.text, m.createdAt, m.turnId, m.usage(), m.costUsd, m.durationMs,
                m.toolCalls, m.blocks, m.turnKind, m.proactive);
    }

    private static void addIfPresent(List<ThreadEvent> out, ThreadEvent event) {
        if (event != null) {
            out.add(event);
        }
    }
}
