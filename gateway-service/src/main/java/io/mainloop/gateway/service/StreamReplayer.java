package io.mainloop.gateway.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads what a reconnecting client missed: the owner thread's events between two cursors, from Kafka. */
@ApplicationScoped
public class StreamReplayer {

    @Inject
    GatewayConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    ThreadStreamHub hub;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /**
     * Hands {@code sink} every event at or after {@code from} and before {@code to}, each with
     * the cursor just after it. Blocking; takes as long as reading those records takes.
     */
    public void replay(StreamCursor from, StreamCursor to, Consumer<StreamEvent> sink) {
        List<TopicPartition> partitions = hub.partitions();
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
                    StreamEvent event = ThreadStreamHub.toEvent(record, cursor, json, config.threadId());
                    if (event != null) {
                        sink.accept(event);
                    }
                }
            }
        }
    }
}
