package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What happens to a sub-agent task (topic {@link Topics#TASK_EVENTS}), published by
 * agent-service and keyed by the task's parent thread; the JSON property {@code type} names the
 * kind. memory-service stores a task's end in its thread and gives the assistant a turn to report
 * it; the gateway streams them to the web chat. Ids are deterministic per task, attempt and kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TaskEvent.TaskCreated.class, name = "task.created"),
        @JsonSubTypes.Type(value = TaskEvent.TaskStarted.class, name = "task.started"),
        @JsonSubTypes.Type(value = TaskEvent.TaskNeedsInput.class, name = "task.needs-input"),
        @JsonSubTypes.Type(value = TaskEvent.TaskFinished.class, name = "task.finished")
})
public sealed interface TaskEvent extends ThreadEvent {

    /** Current shape version of every task event. */
    int SCHEMA_VERSION = 1;

    /** The task. */
    UUID taskId();

    /** The deterministic event id of {@code kind} for attempt {@code attempt} of {@code taskId}. */
    static UUID eventId(UUID taskId, int attempt, String kind) {
        return EventIds.named("task-event", taskId, attempt, kind);
    }

    /**
     * A task was accepted.
     *
     * @param title a short name
     * @param source who asked: {@code assistant} (the main thread's {@code spawn_tasks}), {@code api}, or
     *               {@code kubernetes} (an AgentTask applied by an operator)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TaskCreated(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID taskId, String title,
                       String model, String source) implements TaskEvent {
    }

    /**
     * Its CLI started (again, after an answer or a retry).
     *
     * @param attempt which run of the task, from 1
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TaskStarted(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID taskId, String title,
                       int attempt) implements TaskEvent {
    }

    /**
     * The task asks the owner something ({@code ask_owner}); it waits in {@link TaskPhase#NeedsInput}.
     *
     * @param question what it asks
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TaskNeedsInput(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID taskId,
                          String title, String question) implements TaskEvent {
    }

    /**
     * The task ended.
     *
     * @param phase {@link TaskPhase#Succeeded}, {@link TaskPhase#Failed} or {@link TaskPhase#Cancelled}
     * @param result the CLI's final text (Succeeded), else null
     * @param error why it failed, else null (never a secret)
     * @param usage token totals
     * @param costUsd its cost in US dollars, as the CLI estimates it
     * @param durationMs wall time of its runs, ms
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TaskFinished(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID taskId, String title,
                        int attempt, TaskPhase phase, String result, String error, Usage usage, BigDecimal costUsd,
                        long durationMs) implements TaskEvent {
    }
}
