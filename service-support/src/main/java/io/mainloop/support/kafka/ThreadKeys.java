package io.mainloop.support.kafka;

import io.mainloop.contracts.ThreadEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Kafka record keys for mainloop events: every record is keyed by its thread id, so one
 * thread's events stay in one partition and in order.
 */
public final class ThreadKeys {

    private ThreadKeys() {
    }

    /**
     * A message carrying {@code event} whose Kafka record key is {@link ThreadEvent#threadId()};
     * hand it to an emitter's {@code sendMessage...}.
     *
     * @throws NullPointerException if {@code event} is null
     */
    public static <T extends ThreadEvent> Message<T> keyed(T event) {
        return Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.threadId()).build());
    }
}
