package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * memory-service asks the agent to write one summary of the memory pyramid (topic
 * {@link Topics#AGENT_SUMMARIES}). The agent runs the Claude Code CLI with no tools, the given
 * model and cost cap, {@code instructions} as the system prompt and {@code material} as the
 * prompt, and answers with a {@link SummaryResult} carrying {@code summaryId}. A request may come
 * more than once (a retry after a failure or a lost answer); every answer is welcome, the first
 * one that arrives is kept.
 *
 * @param summaryId the summary being written (one per thread, granularity and period)
 * @param attempt which attempt this is, from 1
 * @param granularity the period's kind
 * @param periodStart the period's first day, in the owner's time zone
 * @param periodEnd the day after the period (exclusive)
 * @param model the CLI's {@code --model} (an alias such as {@code haiku}, or a full id)
 * @param maxBudgetUsd the CLI's {@code --max-budget-usd}
 * @param instructions the summarizer's system prompt (the template and the tagged-line rules)
 * @param material what to summarize: the period's messages, or the summaries of its parts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SummaryRequested(
        UUID eventId,
        Instant occurredAt,
        int schemaVersion,
        String threadId,
        UUID summaryId,
        int attempt,
        Granularity granularity,
        LocalDate periodStart,
        LocalDate periodEnd,
        String model,
        BigDecimal maxBudgetUsd,
        String instructions,
        String material) implements ThreadEvent {

    /** Current shape version. */
    public static final int SCHEMA_VERSION = 1;
}
