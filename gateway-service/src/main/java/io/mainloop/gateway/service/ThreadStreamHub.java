package io.mainloop.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.Topics;
import io.mainloop.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This replica's live view of the owner thread: a Kafka consumer without a consumer group,
 * assigned the thread's partitions of {@code mainloop.conversation.events} and
 * {@code mainloop.agent.events} from their end at start-up, so every gateway replica sees every
 * event (Kafka's "or equivalent" to a per-instance group, with no group to clean up). It hands
 * each event, with its {@link StreamCursor}, to the SSE streams subscribed here, and skips an
 * event id it has just delivered (memory-service republishes with the same id after a crash).
 */
@ApplicationScoped
public class ThreadStreamHub {

    private static final Logger LOG = Logger.getLogger(ThreadStreamHub.class);
    private static final int RECENT_IDS = 10_000;

    @Inject
    GatewayConfig config;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final List<Consumer<StreamEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> recentIds = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_IDS;
        }
    };
    private volatile KafkaConsumer<String, String> consumer;
    private volatile StreamCursor cursor;
    private volatile boolean running = true;
    private List<TopicPartition> partitions;

    void start(@Observes StartupEvent ignored) {
        ThreadPartitions.ensureTopics(bootstrapServers);
        consumer = newConsumer(bootstrapServers);
        partitions = ThreadPartitions.of(consumer, config.threadId());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        cursor = new StreamCursor(consumer.position(partitions.get(0)), consumer.position(partitions.get(1)));
        Thread.ofPlatform().daemon().name("thread-stream-hub").start(this::pollLoop);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    /** A plain consumer (no group, no commits) reading strings. */
    static KafkaConsumer<String, String> newConsumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.CLIENT_ID_CONFIG, "gateway-stream-" + UUID.randomUUID()),
                new StringDeserializer(), new StringDeserializer());
    }

    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    dispatch(record);
                }
            }
        } catch (WakeupException stopping) {
            // shutdown
        } catch (RuntimeException e) {
            LOG.error("the thread stream stopped reading Kafka", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private synchronized void dispatch(ConsumerRecord<String, String> record) {
        cursor = cursor.after(record.topic(), record.offset());
        StreamEvent event = toEvent(record, cursor, json, config.threadId());
        if (event == null || recentIds.put(event.eventId(), Boolean.TRUE) != null) {
            return;
        }
        for (Consumer<StreamEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    /**
     * Registers {@code listener} for live events and returns the cursor at that moment: every
     * event after it reaches the listener, none before it.
     */
    public synchronized StreamCursor subscribe(Consumer<StreamEvent> listener) {
        listeners.add(listener);
        return cursor;
    }

    /** Stops delivering to {@code listener}. */
    public void unsubscribe(Consumer<StreamEvent> listener) {
        listeners.remove(listener);
    }

    /** The owner thread's partitions: [conversation-events, agent-events]. */
    public List<TopicPartition> partitions() {
        return partitions;
    }

    /** The event a record of the owner's thread makes, or null for another thread's record or unreadable JSON. */
    static StreamEvent toEvent(ConsumerRecord<String, String> record, StreamCursor after, ObjectMapper json,
                               String threadId) {
        if (!threadId.equals(record.key()) || record.value() == null) {
            return null;
        }
        try {
            JsonNode tree = json.readTree(record.value());
            String type = tree.path("type").asText("");
            String eventId = tree.path("eventId").asText(record.topic() + ":" + record.offset());
            return type.isEmpty() ? null
                    : new StreamEvent(eventId, record.topic(), record.offset(), type, record.value(), after);
        } catch (Exception unreadable) {
            return null;
        }
    }


    /** The topic names streamed, for documentation. */
    public static List<String> topics() {
        return List.of(Topics.CONVERSATION_EVENTS, Topics.AGENT_EVENTS);
    }
}
