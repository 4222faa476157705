package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * Commands to the agent runtime (topic {@link Topics#AGENT_COMMANDS}); every agent-service
 * replica reads all of them (a consumer group per replica), and the one running the turn acts.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = AgentCommand.CancelTurn.class, name = "turn.cancel")})
public sealed interface AgentCommand extends ThreadEvent {

    /** Current shape version of every agent command. */
    int SCHEMA_VERSION = 1;

    /**
     * Stop a running turn: its CLI process tree is killed and the turn fails with
     * {@link AgentEvent.FailureReason#CANCELLED}. A turn that is not running is left alone.
     *
     * @param turnId the turn to stop
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CancelTurn(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId)
            implements AgentCommand {

        /** A new command with a fresh id, stamped now. */
        public static CancelTurn of(String threadId, UUID turnId) {
            return new CancelTurn(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, threadId, turnId);
        }
    }
}
