package io.mainloop.memory.service;

import io.mainloop.contracts.ContextMessage;
import io.mainloop.memory.repository.MessageEntity;
import java.util.List;

/**
 * Builds the context of a turn: what the model sees besides the user's new message(s). The one
 * seam the temporal pyramid (daily, weekly, monthly summaries) replaces later.
 */
public interface ContextAssembler {

    /**
     * Assembles the context for a turn answering {@code replyTo}.
     *
     * @param threadId the thread
     * @param replyTo the user messages the turn answers (they are the prompt, not context)
     * @return the system prompt, earlier messages oldest first, and the estimated size in tokens
     */
    AssembledContext assemble(String threadId, List<MessageEntity> replyTo);

    /**
     * @param systemPrompt instructions appended to Claude Code's own system prompt
     * @param messages earlier messages, oldest first
     * @param estimatedTokens estimated size of both, in tokens (see {@link TokenEstimator})
     */
    record AssembledContext(String systemPrompt, List<ContextMessage> messages, int estimatedTokens) {
    }
}
