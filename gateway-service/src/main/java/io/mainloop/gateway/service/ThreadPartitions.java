package io.mainloop.gateway.service;

import io.mainloop.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions of the three streamed topics that hold a thread's events: producers key every
 * record by thread id, so Kafka's default partitioner (murmur2 of the key) puts them there.
 */
public final class ThreadPartitions {

    private ThreadPartitions() {
    }

    /** [conversation-events partition, agent-events partition, task-events partition] of {@code threadId}. */
    public static List<TopicPartition> of(Consumer<?, ?> consumer, String threadId) {
        return List.of(partition(consumer, Topics.CONVERSATION_EVENTS, threadId),
                partition(consumer, Topics.AGENT_EVENTS, threadId), partition(consumer, Topics.TASK_EVENTS, threadId));
    }

    /** Creates the streamed topics with the broker's defaults where they do not exist yet. */
    public static void ensureTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = ThreadStreamHub.topics().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.empty(), Optional.empty())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + ThreadStreamHub.topics(), e.getCause());
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka to create " + ThreadStreamHub.topics(), e);
        }
    }

    /**
     * The thread's partition of {@code topic}. A topic created a moment ago may not be in the
     * broker's metadata yet ({@code partitionsFor} answers an empty list): asks again for up to 30 s.
     */
    private static TopicPartition partition(Consumer<?, ?> consumer, String topic, String threadId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int count = consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
        while (count == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100); // metadata propagation of a new topic; no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            count = consumer.partitionsFor(topic, Duration.ofSeconds(5)).size();
        }
        if (count == 0) {
            throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
        }
        return new TopicPartition(topic,
                BuiltInPartitioner.partitionForKey(threadId.getBytes(StandardCharsets.UTF_8), count));
    }
}
