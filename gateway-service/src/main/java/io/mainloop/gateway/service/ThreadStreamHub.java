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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This replica's live view of every thread: a Kafka consumer without a consumer group, assigned
 * all partitions of {@code mainloop.conversation.events}, {@code mainloop.agent.events} and
 * {@code mainloop.tasks.events} from their end at start-up, so every gateway replica sees every
 * event (Kafka's "or equivalent" to a per-instance group, with no group to clean up). Streams
 * subscribe with their caller's thread id; a record goes only to the streams of its key (the
 * thread id every producer keys by), with the {@link StreamCursor} of that thread's partitions
 * just after it. It skips an event id it has just delivered (memory-service republishes with the
 * same id after a crash).
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

    private final Map<String, List<Consumer<StreamEvent>>> listeners = new ConcurrentHashMap<>();
    private final Map<String, Boolean> recentIds = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_IDS;
        }
    };
    private volatile KafkaConsumer<String, String> consumer;
    /** The next offset to read of every assigned partition (guarded by this). */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** Partitions per streamed topic, as found at start. */
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private volatile boolean stopping;
    private volatile boolean reading;
    private volatile boolean faultForTest;
    private volatile Thread loop;
    private List<TopicPartition> partitions;

    void start(@Observes StartupEvent ignored) {
        ThreadPartitions.ensureTopics(bootstrapServers);
        consumer = newConsumer(bootstrapServers);
        ThreadPartitions.of(consumer, config.threadId()); // waits until every streamed topic's metadata is there
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            partitionCounts.put(topic, infos.size());
            infos.forEach(i -> all.add(new TopicPartition(topic, i.partition())));
        }
        partitions = List.copyOf(all);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        synchronized (this) {
            for (TopicPartition p : partitions) {
                positions.put(p, consumer.position(p));
            }
        }
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
                    LOG.info("the thread stream reads Kafka again from where it stopped");
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
            Map<TopicPartition, Long> from;
            synchronized (this) {
                from = Map.copyOf(positions);
            }
            for (TopicPartition p : partitions) {
                fresh.seek(p, from.get(p));
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
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        positions.merge(partition, record.offset() + 1, Math::max);
        String threadId = record.key();
        List<Consumer<StreamEvent>> streams = threadId == null ? null : listeners.get(threadId);
        if (streams == null || streams.isEmpty()) {
            return; // nobody here follows that thread
        }
        StreamEvent event = toEvent(record, cursorOf(threadId), json, threadId);
        if (event == null || recentIds.put(event.eventId(), Boolean.TRUE) != null) {
            return;
        }
        for (Consumer<StreamEvent> listener : streams) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("an SSE stream failed to take an event; it is dropped", e);
                streams.remove(listener);
            }
        }
    }

    /**
     * Registers {@code listener} for the live events of thread {@code threadId} and returns that
     * thread's cursor at that moment: every event of the thread after it reaches the listener,
     * none before it, and no other thread's.
     */
    public synchronized StreamCursor subscribe(String threadId, Consumer<StreamEvent> listener) {
        listeners.computeIfAbsent(threadId, t -> new CopyOnWriteArrayList<>()).add(listener);
        return cursorOf(threadId);
    }

    /** Stops delivering thread {@code threadId}'s events to {@code listener}. */
    public synchronized void unsubscribe(String threadId, Consumer<StreamEvent> listener) {
        List<Consumer<StreamEvent>> streams = listeners.get(threadId);
        if (streams != null) {
            streams.remove(listener);
            if (streams.isEmpty()) {
                listeners.remove(threadId);
            }
        }
    }

    /**
     * The partitions that hold thread {@code threadId}'s events: [conversation-events,
     * agent-events, task-events], as Kafka's default partitioner places records keyed by it.
     */
    public List<TopicPartition> partitions(String threadId) {
        byte[] key = threadId.getBytes(StandardCharsets.UTF_8);
        return topics().stream().map(t -> new TopicPartition(t,
                BuiltInPartitioner.partitionForKey(key, partitionCounts.get(t)))).toList();
    }

    /** Thread {@code threadId}'s position now: the next offsets to read in its three partitions. */
    private StreamCursor cursorOf(String threadId) {
        List<TopicPartition> own = partitions(threadId);
        return new StreamCursor(positions.get(own.get(0)), positions.get(own.get(1)), positions.get(own.get(2)));
    }

    /** The event a record of thread {@code threadId} makes, or null for another thread's record or unreadable JSON. */
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
