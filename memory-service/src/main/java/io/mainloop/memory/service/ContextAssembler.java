package io.mainloop.memory.service;

import io.mainloop.contracts.ContextMessage;
import io.mainloop.memory.pyramid.ContextItem;
import io.mainloop.memory.pyramid.ContextLayer;
import io.mainloop.memory.repository.MessageEntity;
import java.util.List;

/**
 * Builds the context of a turn: what the model sees besides the user's new message(s).
 * Implemented by the temporal pyramid ({@link io.mainloop.memory.pyramid.PyramidContextAssembler}).
 */
public interface ContextAssembler {

    /**
     * Assembles the context for a turn answering {@code replyTo}.
     *
     * @param threadId the thread
     * @param replyTo the user messages the turn answers (they are the prompt, not context)
     * @return the system prompt, earlier messages oldest first, the estimated size in tokens, and
     *         the layers and dropped items to record
     */
    AssembledContext assemble(String threadId, List<MessageEntity> replyTo);

    /**
     * @param systemPrompt instructions appended to Claude Code's own system prompt (with the core
     *                     blocks, memories and summaries)
     * @param messages earlier messages in full, oldest first
     * @param estimatedTokens estimated size of everything, the new messages included, in tokens
     *                        (see {@link TokenEstimator})
     * @param budgetTokens the budget it was assembled for
     * @param layers what the assistant sees, layer by layer
     * @param dropped what did not fit, without text
     */
    record AssembledContext(String systemPrompt, List<ContextMessage> messages, int estimatedTokens, int budgetTokens,
                            List<ContextLayer> layers, List<ContextItem> dropped) {
    }
}
