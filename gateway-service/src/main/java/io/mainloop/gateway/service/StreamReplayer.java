package io.mainloop.gateway.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads what a reconnecting client missed: its thread's events between two cursors, from Kafka. */
@ApplicationScoped
public class StreamReplayer {

    @Inject
    ObjectMapper json;

    @Inject
    ThreadStreamHub hub;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /**
     * Hands {@code sink} every event of thread {@code threadId} at or after {@code from} and
     * before {@code to} (positions in that thread's partitions), each with the cursor just after
     * it; other threads' records in the same partitions are skipped. Blocking; takes as long as
     * reading those records takes.
     */
    public void replay(String threadId, StreamCursor from, StreamCursor to, Consumer<StreamEvent> sink) {
        List<TopicPartition> partitions = hub.partitions(threadId);
        try (KafkaConsumer<String, String> consumer = ThreadStreamHub.newConsumer(bootstrapServers)) {
            consumer.assign(partitions);
            StreamCursor cursor = from;
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.min(from.of(p.topic()), to.of(p.topic())));
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < to.of(p.topic()))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= to.of(record.topic())) {
                        continue; // the live stream delivers it
                    }
                    cursor = cursor.after(record.topic(), record.offset());
                    StreamEvent event = ThreadStreamHub.toEvent(record, cursor, json, threadId);
                    if (event != null) {
                        sink.accept(event);
                    }
                }
            }
        }
    }
}
