package io.mainloop.memory.repository;

import io.mainloop.contracts.ConversationEvent.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;

/** Tool calls of running turns (table {@code turn_tool_call}), gathered until the turn completes. */
@ApplicationScoped
public class ToolCallRepository {

    @Inject
    EntityManager em;

    /** Records a tool call; a repeated call (same turn and tool use id) changes nothing. */
    public void recordCall(UUID turnId, String toolUseId, String name, String input) {
        em.createNativeQuery("INSERT INTO turn_tool_call (turn_id, tool_use_id, name, input) VALUES (?1, ?2, ?3, ?4) "
                        + "ON CONFLICT (turn_id, tool_use_id) DO NOTHING")
                .setParameter(1, turnId).setParameter(2, toolUseId).setParameter(3, name).setParameter(4, input)
                .executeUpdate();
    }

    /** Records a tool's output for its call. */
    public void recordResult(UUID turnId, String toolUseId, String output, boolean isError) {
        em.createNativeQuery("UPDATE turn_tool_call SET output = ?3, is_error = ?4 WHERE turn_id = ?1 AND tool_use_id = ?2")
                .setParameter(1, turnId).setParameter(2, toolUseId).setParameter(3, output).setParameter(4, isError)
                .executeUpdate();
    }

    /** The turn's tool calls in call order. */
    @SuppressWarnings("unchecked")
    public List<ToolInvocation> ofTurn(UUID turnId) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT tool_use_id, name, input, output, is_error FROM turn_tool_call WHERE turn_id = ?1 ORDER BY seq")
                .setParameter(1, turnId).getResultList();
        return rows.stream().map(r -> new ToolInvocation((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                (Boolean) r[4])).toList();
    }
}
