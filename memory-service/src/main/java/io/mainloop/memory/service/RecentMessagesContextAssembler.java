package io.mainloop.memory.service;

import io.mainloop.contracts.ContextMessage;
import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The system prompt, then the most recent messages that fit the token budget
 * ({@code mainloop.memory.context-token-budget}, estimated by {@link TokenEstimator}); older
 * messages are left out whole, never cut in the middle.
 */
@ApplicationScoped
public class RecentMessagesContextAssembler implements ContextAssembler {

    /** Most messages read per turn; the budget usually stops earlier. */
    private static final int MAX_CANDIDATES = 500;

    @Inject
    MemoryConfig config;

    @Inject
    MessageRepository messages;

    @Override
    public AssembledContext assemble(String threadId, List<MessageEntity> replyTo) {
        String systemPrompt = config.systemPrompt();
        int used = TokenEstimator.estimate(systemPrompt)
                + replyTo.stream().mapToInt(m -> TokenEstimator.estimateMessage(m.text)).sum();
        List<ContextMessage> picked = new ArrayList<>();
        for (MessageEntity m : messages.recent(threadId, replyTo.stream().map(r -> r.id).toList(), MAX_CANDIDATES)) {
            int cost = TokenEstimator.estimateMessage(m.text);
            if (used + cost > config.contextTokenBudget()) {
                break;
            }
            used += cost;
            picked.add(new ContextMessage(m.id, m.role, m.text, m.createdAt));
        }
        Collections.reverse(picked);
        return new AssembledContext(systemPrompt, picked, used);
    }
}
