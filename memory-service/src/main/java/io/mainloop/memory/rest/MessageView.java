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
 */
public record MessageView(UUID id, long seq, Role role, String text, Instant createdAt, UUID turnId, Usage usage,
                          BigDecimal costUsd, Long durationMs, List<ToolInvocation> toolCalls,
                          List<ContentBlock> blocks) {
}
