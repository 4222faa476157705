package io.mainloop.agent.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How fast the AgentTask operator turns AgentTasks into Jobs, against the fabric8 mock API server
 * (CRUD mode, the {@link AgentTaskOperatorTest} setup): after 5 warm-up tasks, 50 AgentTasks are
 * created back to back and, for each, the time from its create call returning to its Job appearing
 * (seen by a watch on Jobs) is measured; prints p50, p95, max and the throughput as a markdown
 * table. Asserts nothing about speed. Runs only with {@code ./mvnw -Pbench verify}.
 */
@Tag("bench")
@QuarkusTest
@TestProfile(KubernetesModeProfile.class)
@WithKubernetesTestServer(crud = true, setup = MockCluster.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class AgentTaskSpawnBench {

    static final int WARM_UP = 5;
    static final int TASKS = 50;
    static final long TARGET_P95_MS = 100;

    @Inject
    KubernetesClient client;

    /** Job name to the {@link System#nanoTime()} its ADDED event arrived. */
    private final Map<String, Long> jobSeen = new ConcurrentHashMap<>();

    @Test
    void agentTasksBecomeJobs() throws Exception {
        try (Watch ignored = client.batch().v1().jobs().inNamespace(client.getNamespace()).watch(new Watcher<Job>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    jobSeen.putIfAbsent(job.getMetadata().getName(), System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            Map<String, Long> warmUp = createAll("warm", WARM_UP, true);
            awaitJobs(warmUp.keySet());
            // as agent-service creates them (spawn_tasks, the API): with the operator's finalizer set
            System.out.println(measure("created by agent-service, finalizer set at create", true));
            // as kubectl apply creates them: the operator adds its finalizer first, then reconciles again
            System.out.println(measure("applied without the finalizer (kubectl apply)", false));
        }
    }

    private String measure(String how, boolean withFinalizer) {
        long begin = System.nanoTime();
        Map<String, Long> created = createAll(withFinalizer ? "agent" : "kubectl", TASKS, withFinalizer);
        awaitJobs(created.keySet());
        double[] ms = created.entrySet().stream()
                .mapToDouble(e -> Math.max(0, jobSeen.get(AgentTaskJobs.jobName(e.getKey())) - e.getValue()) / 1e6)
                .sorted().toArray();
        long end = created.keySet().stream().mapToLong(n -> jobSeen.get(AgentTaskJobs.jobName(n))).max().orElseThrow();
        assertEquals(TASKS, ms.length);
        return table(how, ms, TASKS / ((end - begin) / 1e9));
    }

    /** Creates {@code count} AgentTasks back to back; their names to when each create call returned. */
    private Map<String, Long> createAll(String prefix, int count, boolean withFinalizer) {
        Map<String, Long> created = new LinkedHashMap<>();
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < count; i++) {
            AgentTask task = new AgentTask();
            task.getMetadata().setName(prefix + "-" + run + "-" + i);
            task.getMetadata().setNamespace(client.getNamespace());
            task.getMetadata().setLabels(Map.of(AgentTask.TASK_ID_LABEL, UUID.randomUUID().toString()));
            task.setSpec(new AgentTaskSpec());
            task.getSpec().title = "Bench " + i;
            task.getSpec().prompt = "Say hello.";
            if (withFinalizer) {
                task.getMetadata().setFinalizers(List.of(AgentTaskReconciler.FINALIZER));
            }
            client.resource(task).create();
            created.put(task.getMetadata().getName(), System.nanoTime());
        }
        return created;
    }

    private void awaitJobs(Collection<String> agentTasks) {
        List<String> jobs = new ArrayList<>(agentTasks.stream().map(AgentTaskJobs::jobName).toList());
        AgentTaskOperatorTest.await(jobs.size() + " Jobs", () -> {
            jobs.removeIf(jobSeen::containsKey);
            return jobs.isEmpty() ? true : null;
        });
    }

    static String table(String how, double[] sortedMs, double perSecond) {
        return String.join("\n",
                "",
                "| AgentTask " + how + ": create returned -> Job exists (" + TASKS + " back to back, after " + WARM_UP
                        + " warm-up; fabric8 mock server, " + Runtime.getRuntime().availableProcessors() + " cores) | value | target |",
                "|---|---|---|",
                "| p50 | %.1f ms | |".formatted(percentile(sortedMs, 50)),
                "| p95 | %.1f ms | <= %d ms |".formatted(percentile(sortedMs, 95), TARGET_P95_MS),
                "| max | %.1f ms | |".formatted(sortedMs[sortedMs.length - 1]),
                "| throughput | %.1f AgentTasks reconciled to a Job per second | |".formatted(perSecond),
                "");
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
