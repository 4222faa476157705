package io.mainloop.memory.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.ConversationEvent.ContentBlock;
import io.mainloop.contracts.ConversationEvent.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;

/**
 * The parts of running turns (table {@code turn_part}): text blocks and tool calls, in the order
 * they arrived, gathered until the turn ends and its reply keeps them.
 */
@ApplicationScoped
public class TurnPartRepository {

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    /** Records a tool call; a repeated call (same turn and tool use id) changes nothing. */
    public void recordCall(UUID turnId, String toolUseId, String name, JsonNode input) {
        em.createNativeQuery("INSERT INTO turn_part (turn_id, part_key, kind, name, input) VALUES (?1, ?2, 'tool', ?3, ?4) "
                        + "ON CONFLICT (turn_id, part_key) DO NOTHING")
                .setParameter(1, turnId).setParameter(2, toolUseId).setParameter(3, name)
                .setParameter(4, input == null ? "{}" : io.mainloop.memory.service.StoredText.cleanJson(input.toString()))
                .executeUpdate();
    }

    /** Records a tool's output for its call. */
    public void recordResult(UUID turnId, String toolUseId, String output, boolean isError) {
        em.createNativeQuery("UPDATE turn_part SET output = ?3, is_error = ?4 WHERE turn_id = ?1 AND part_key = ?2")
                .setParameter(1, turnId).setParameter(2, toolUseId).setParameter(3, output).setParameter(4, isError)
                .executeUpdate();
    }

    /** Records the turn's text block number {@code block}; a repeated block changes nothing. */
    public void recordText(UUID turnId, int block, String text) {
        em.createNativeQuery("INSERT INTO turn_part (turn_id, part_key, kind, text) VALUES (?1, ?2, 'text', ?3) "
                        + "ON CONFLICT (turn_id, part_key) DO NOTHING")
                .setParameter(1, turnId).setParameter(2, "text/" + block).setParameter(3, text).executeUpdate();
    }

    /** The turn's tool calls, in call order. */
    public List<ToolInvocation> toolCalls(UUID turnId) {
        return blocks(turnId).stream().filter(b -> b.type().equals("tool"))
                .map(b -> new ToolInvocation(b.toolUseId(), b.name(), b.input(), b.output(), Boolean.TRUE.equals(b.isError())))
                .toList();
    }

    /** The turn's text blocks and tool calls, in arrival order. */
    @SuppressWarnings("unchecked")
    public List<ContentBlock> blocks(UUID turnId) {
        List<Object[]> rows = em.createNativeQuery("SELECT kind, part_key, name, input, output, is_error, text "
                        + "FROM turn_part WHERE turn_id = ?1 ORDER BY seq")
                .setParameter(1, turnId).getResultList();
        return rows.stream().map(r -> "text".equals(r[0]) ? ContentBlock.text((String) r[6])
                : new ContentBlock("tool", null, (String) r[1], (String) r[2], parse((String) r[3]), (String) r[4],
                        (Boolean) r[5])).toList();
    }

    private JsonNode parse(String input) {
        try {
            return input == null ? null : json.readTree(input);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(input);
        }
    }
}
