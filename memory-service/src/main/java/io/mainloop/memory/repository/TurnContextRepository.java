package io.mainloop.memory.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.memory.pyramid.ContextItem;
import io.mainloop.memory.pyramid.ContextLayer;
import io.mainloop.support.jdbc.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What each turn's assistant saw (table {@code turn_context}), for {@code GET .../turns/{turnId}/context}. */
@ApplicationScoped
public class TurnContextRepository {

    /**
     * A recorded context.
     *
     * @param assemblyMs how long assembling took, ms
     * @param layers the layers as JSON ({@link ContextLayer} objects)
     * @param dropped what was left out as JSON ({@link ContextItem} objects without text)
     */
    public record Recorded(UUID turnId, String threadId, Instant assembledAt, int budgetTokens, int estimatedTokens,
                           double assemblyMs, JsonNode layers, JsonNode dropped) {
    }

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    /** Records the context of {@code turnId}; recording it again (a retried transaction) changes nothing. */
    public void record(UUID turnId, String threadId, Instant assembledAt, int budgetTokens, int estimatedTokens,
                       double assemblyMs, List<ContextLayer> layers, List<ContextItem> dropped) {
        try {
            em.createNativeQuery("""
                            INSERT INTO turn_context (turn_id, thread_id, assembled_at, budget_tokens, estimated_tokens,
                                assembly_ms, layers, dropped)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?8, CAST(?6 AS jsonb), CAST(?7 AS jsonb))
                            ON CONFLICT (turn_id) DO NOTHING""")
                    .setParameter(1, turnId).setParameter(2, threadId).setParameter(3, assembledAt)
                    .setParameter(4, budgetTokens).setParameter(5, estimatedTokens)
                    .setParameter(6, json.writeValueAsString(layers)).setParameter(7, json.writeValueAsString(dropped))
                    .setParameter(8, java.math.BigDecimal.valueOf(assemblyMs).setScale(3, java.math.RoundingMode.HALF_UP))
                    .executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the context of turn " + turnId, e);
        }
    }

    /** The recorded context of {@code turnId} in {@code threadId}, if any. */
    public Optional<Recorded> find(String threadId, UUID turnId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT turn_id, thread_id, assembled_at, budget_tokens, estimated_tokens, assembly_ms, CAST(layers AS text),
                            CAST(dropped AS text) FROM turn_context WHERE turn_id = ?1 AND thread_id = ?2""")
                .setParameter(1, turnId).setParameter(2, threadId).getResultList();
        return rows.stream().findFirst().map(r -> new Recorded((UUID) r[0], (String) r[1], Timestamps.instant(r[2]),
                ((Number) r[3]).intValue(), ((Number) r[4]).intValue(), ((Number) r[5]).doubleValue(), parse((String) r[6]),
                parse((String) r[7])));
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored context is not JSON", e);
        }
    }
}
