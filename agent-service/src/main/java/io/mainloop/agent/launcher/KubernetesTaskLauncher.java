package io.mainloop.agent.launcher;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mainloop.agent.operator.AgentTask;
import io.mainloop.agent.operator.AgentTaskSpec;
import io.mainloop.agent.task.TaskEntity;
import io.mainloop.agent.task.TaskStatusSink;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs tasks as AgentTask resources in the agent-service's namespace ({@code mainloop.agent.tasks.mode=kubernetes}):
 * {@link #start} creates the task's AgentTask (named {@code task-<id>}, labelled {@code mainloop.io/task-id}),
 * whose reconciler creates and follows the Job and reports to {@link TaskStatusSink};
 * {@link #cancel} deletes it (its Job and pod go with it through their ownerReference).
 */
@ApplicationScoped
@LookupIfProperty(name = "mainloop.agent.tasks.mode", stringValue = "kubernetes")
public class KubernetesTaskLauncher implements TaskLauncher {

    private static final Logger LOG = Logger.getLogger(KubernetesTaskLauncher.class);

    @Inject
    KubernetesClient client;

    @Inject
    Instance<TaskStatusSink> sink;

    /** The AgentTask's name of {@code task}: its recorded resource name, else {@code task-<id>}. */
    public static String resourceName(TaskEntity task) {
        return task.resourceName != null ? task.resourceName : "task-" + task.id;
    }

    /**
     * Creates the task's AgentTask unless it exists for this attempt; one left from an earlier
     * attempt (a retry) is deleted and created again. Never creates a second one for an attempt.
     */
    @Override
    public void start(TaskEntity task) {
        String name = resourceName(task);
        var resources = client.resources(AgentTask.class).inNamespace(client.getNamespace());
        AgentTask existing = resources.withName(name).get();
        if (existing != null) {
            String attempt = Optional.ofNullable(existing.getMetadata().getAnnotations())
                    .map(a -> a.get(AgentTask.ATTEMPT_ANNOTATION)).orElse("1");
            if (attempt.equals(Integer.toString(Math.max(task.attempt, 1)))) {
                return;
            }
            // the earlier attempt's AgentTask goes first: its finalizer (the reconciler's cleanup) must
            // have run, or the create below would meet the old one (409) and the retry never start
            resources.withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            awaitGone(resources.withName(name));
        }
        try {
            resources.resource(agentTask(task, name)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            LOG.debugf("AgentTask %s exists already", name);
        }
    }

    /**
     * Waits up to 30 s until the deleted AgentTask is gone (its finalizer ran), polling it: a
     * watch may miss the end of a deletion that a finalizer held.
     *
     * @throws IllegalStateException if it is still there after 30 s (the retry then fails, saying so)
     */
    private static void awaitGone(io.fabric8.kubernetes.client.dsl.Resource<AgentTask> resource) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (resource.get() != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the earlier attempt's AgentTask is still being deleted");
            }
            try {
                Thread.sleep(100); // polling the API server for the deletion's end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the earlier AgentTask to go", e);
            }
        }
    }

    /** Deletes the task's AgentTask (background propagation: the Job and its pod go after it) and reports Cancelled. */
    @Override
    public void cancel(TaskEntity task) {
        client.resources(AgentTask.class).inNamespace(client.getNamespace()).withName(resourceName(task))
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        long durationMs = task.startedAt == null ? 0 : Duration.between(task.startedAt, Instant.now()).toMillis();
        if (sink.isResolvable()) {
            sink.get().finished(task.id, task.attempt, TaskPhase.Cancelled, null, "cancelled", Usage.NONE, null, durationMs);
        }
    }

    /**
     * Nothing to do: the reconciler follows every AgentTask and Job, and reconciles all of them
     * again when agent-service starts (deterministic Job names and create-only: no second Job).
     */
    @Override
    public void reattach(TaskEntity task) {
    }

    /** The AgentTask of {@code task}'s current attempt. */
    static AgentTask agentTask(TaskEntity task, String name) {
        AgentTaskSpec spec = new AgentTaskSpec();
        spec.title = task.title;
        spec.prompt = task.prompt;
        spec.model = task.model;
        if (task.repositoryUrl != null) {
            spec.repository = new AgentTaskSpec.Repository();
            spec.repository.url = task.repositoryUrl;
            spec.repository.branch = task.repositoryBranch;
        }
        spec.workdir = task.workdir;
        spec.profile = task.profile;
        spec.maxTurns = task.maxTurns;
        spec.deadlineSeconds = task.deadlineSeconds;
        spec.maxBudgetUsd = task.maxBudgetUsd;
        spec.threadId = task.threadId;
        AgentTask resource = new AgentTask();
        resource.getMetadata().setName(name);
        resource.getMetadata().setLabels(Map.of(AgentTask.TASK_ID_LABEL, Objects.toString(task.id),
                "app.kubernetes.io/part-of", "mainloop"));
        resource.getMetadata().setAnnotations(Map.of(AgentTask.ATTEMPT_ANNOTATION, Integer.toString(Math.max(task.attempt, 1))));
        resource.setSpec(spec);
        return resource;
    }
}
