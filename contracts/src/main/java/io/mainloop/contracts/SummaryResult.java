package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The agent's answer to a {@link SummaryRequested} (topic {@link Topics#AGENT_SUMMARY_RESULTS});
 * the JSON property {@code type} names the kind. Its event id is named by the summary id and the
 * attempt, so an answer published twice is dropped by memory-service.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SummaryResult.SummaryCompleted.class, name = "summary.completed"),
        @JsonSubTypes.Type(value = SummaryResult.SummaryFailed.class, name = "summary.failed")
})
public sealed interface SummaryResult extends ThreadEvent {

    /** Current shape version of every summary result. */
    int SCHEMA_VERSION = 1;

    /** The summary this answers. */
    UUID summaryId();

    /** The attempt of the request this answers. */
    int attempt();

    /** The deterministic event id of the answer to {@code attempt} of {@code summaryId}. */
    static UUID eventId(UUID summaryId, int attempt) {
        return EventIds.named("summary-result", summaryId, attempt);
    }

    /**
     * The model wrote the summary.
     *
     * @param text the summary, with its tagged lines ({@code [decision] ...})
     * @param model the model that wrote it, as the CLI reports it
     * @param usage its token totals
     * @param costUsd its cost in US dollars, as the CLI estimates it
     * @param durationMs wall time of the CLI run, ms
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SummaryCompleted(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID summaryId,
                            int attempt, String text, String model, Usage usage, BigDecimal costUsd, long durationMs)
            implements SummaryResult {
    }

    /**
     * The summary could not be written this time; memory-service asks again later and keeps the
     * period in full detail meanwhile.
     *
     * @param reason why, as a stable code ({@link AgentEvent.FailureReason} names)
     * @param message a human-readable explanation (never a secret)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SummaryFailed(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID summaryId,
                         int attempt, String reason, String message) implements SummaryResult {
    }
}
