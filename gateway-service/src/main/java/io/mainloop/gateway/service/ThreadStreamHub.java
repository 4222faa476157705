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
 * assigned the thread's partitions of {@code mainloop.conversation.events},
 * {@code mainloop.agent.events} and {@code mainloop.tasks.events} from their end at start-up, so every gateway replica sees every
 * event (Kafka's "or equivalent" to a per-instance group, with no group to clean up). It hands
 * each event, with its {@link StreamCursor}, to the SSE streams subscribed here, and skips an
 * event id it has just delivered (memory-service republishes with the same id after a crash).
 * When reading fails, the reader is restarted with back-off from where it stopped, and readiness
 * ({@link ThreadStreamHealthCheck}) is DOWN until it runs again: a stream is never silently dead.
 */
@ApplicationScoped
public class ThreadStreamHub {

    private static final Logger LOG = Logger.getLogger(ThreadStreamHub.class);
    private static final int RECENT_IDS = 10_000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

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
    private volatile boolean stopping;
    private volatile boolean reading;
    private volatile boolean faultForTest;
    private volatile Thread loop;
    private List<TopicPartition> partitions;

    void start(@Observes StartupEvent ignored) {
        ThreadPartitions.ensureTopics(bootstrapServers);
        consumer = newConsumer(bootstrapServers);
        partitions = ThreadPartitions.of(consumer, config.threadId());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        cursor = new StreamCursor(consumer.position(partitions.get(0)), consumer.position(partitions.get(1)),
                consumer.position(partitions.get(2)));
        reading = true;
        loop = Thread.ofPlatform().daemon().name("thread-stream-hub").start(this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        stopping = true;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (loop != null) {
            loop.interrupt();
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

    /**
     * Whether the Kafka reader is running. False while it is being restarted after a failure:
     * then no live event reaches the streams (they get what they missed once it runs again).
     */
    public boolean isReading() {
        return reading;
    }

    /**
     * For tests: while {@code on}, the reader fails at its next poll and every restart fails too,
     * as a broken reader would; once off, the next restart succeeds.
     */
    void injectFault(boolean on) {
        faultForTest = on;
    }

    /**
     * The reader's life: poll and dispatch until stopped; when polling fails, close the consumer,
     * wait (doubling back-off, see {@link GatewayConfig#streamRestartBackoff()}), open a new one
     * positioned at the cursor (so the streams miss nothing) and carry on.
     */
    private void run() {
        Duration backoff = config.streamRestartBackoff();
        while (!stopping) {
            try {
                if (consumer == null) {
                    consumer = reconnect();
                    LOG.infof("the thread stream reads Kafka again from %s", cursor.toId());
                }
                reading = true;
                poll();
                backoff = config.streamRestartBackoff();
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                if (!stopping) {
                    backoff = failed(e, backoff);
                }
            } catch (RuntimeException e) {
                backoff = failed(e, backoff);
            }
        }
        reading = false;
        closeConsumer();
    }

    /** One poll, its records dispatched. */
    private void poll() {
        if (faultForTest) {
            throw new IllegalStateException("fault injected by a test");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            dispatch(record);
        }
    }

    private KafkaConsumer<String, String> reconnect() {
        if (faultForTest) {
            throw new IllegalStateException("fault injected by a test");
        }
        KafkaConsumer<String, String> fresh = newConsumer(bootstrapServers);
        try {
            fresh.assign(partitions);
            StreamCursor from = cursor;
            for (TopicPartition p : partitions) {
                fresh.seek(p, from.of(p.topic()));
            }
            return fresh;
        } catch (RuntimeException e) {
            fresh.close(Duration.ofSeconds(2));
            throw e;
        }
    }

    private Duration failed(RuntimeException e, Duration backoff) {
        reading = false;
        LOG.errorf(e, "the thread stream stopped reading Kafka; restarting in %s", backoff);
        closeConsumer();
        try {
            Thread.sleep(backoff); // back-off before the restart, not test timing
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private void closeConsumer() {
        KafkaConsumer<String, String> current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debug("closing the thread stream's consumer failed", e);
            }
        }
    }

    private synchronized void dispatch(ConsumerRecord<String, String> record) {
        cursor = cursor.after(record.topic(), record.offset());
        StreamEvent event = toEvent(record, cursor, json, config.threadId());
        if (event == null || recentIds.put(event.eventId(), Boolean.TRUE) != null) {
            return;
        }
        for (Consumer<StreamEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("an SSE stream failed to take an event; it is dropped", e);
                listeners.remove(listener);
            }
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

    /** The owner thread's partitions: [conversation-events, agent-events, task-events]. */
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
        return List.of(Topics.CONVERSATION_EVENTS, Topics.AGENT_EVENTS, Topics.TASK_EVENTS);
    }
}
