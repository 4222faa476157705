package io.mainloop.memory.rest;

import io.mainloop.contracts.ConversationEvent.ContentBlock;
import io.mainloop.contracts.ConversationEvent.ToolInvocation;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored message as the history API returns it.
 *
 * @param seq storage order; pass the smallest seen as {@code before} to page back
 * @param usage, costUsd, durationMs, toolCalls, blocks set for assistant messages only; {@code blocks}
 *        are the text blocks and tool calls in the order the owner saw them live
 * @param turnKind why its turn ran ({@code SCHEDULED}: the web chat shows a clock); null for ordinary messages
 * @param proactive an assistant message the owner did not just ask for (heartbeat, schedule)
 */
public record MessageView(UUID id, long seq, Role role, String text, Instant createdAt, UUID turnId, Usage usage,
                          BigDecimal costUsd, Long durationMs, List<ToolInvocation> toolCalls,
                          List<ContentBlock> blocks, io.mainloop.contracts.TurnKind turnKind, boolean proactive) {
}
