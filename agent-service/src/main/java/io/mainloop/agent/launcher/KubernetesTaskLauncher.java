package io.mainloop.agent.launcher;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mainloop.agent.operator.AgentTask;
import io.mainloop.agent.operator.AgentTaskJobs;
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
import java.util.List;
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
     * Creates the task's AgentTask unless it exists for this attempt. A task resumed with the
     * owner's answer keeps its AgentTask (its workspace and session): the answer is appended to
     * {@code spec.answers} and the attempt annotation set, in one update, and the reconciler starts
     * the run that resumes the session. One left from an earlier attempt of a retry is deleted and
     * created again. Never creates a second one for an attempt.
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
            if (task.answer != null) {
                resources.withName(name).edit(at -> {
                    java.util.List<String> answers = new java.util.ArrayList<>(
                            Optional.ofNullable(at.getSpec().answers).orElse(java.util.List.of()));
                    answers.add(task.answer);
                    at.getSpec().answers = answers;
                    java.util.Map<String, String> annotations = new java.util.HashMap<>(
                            Optional.ofNullable(at.getMetadata().getAnnotations()).orElse(Map.of()));
                    annotations.put(AgentTask.ATTEMPT_ANNOTATION, Integer.toString(task.attempt));
                    at.getMetadata().setAnnotations(annotations);
                    return at;
                });
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

    /**
     * The stream-json lines of the task's pods, all runs in order (pods labelled with its task id,
     * by run, then oldest first), read from the API server ({@code pods/log} of the CLI container); {@code position}
     * counts lines. A pod removed with its Job (after {@code ttlSecondsAfterFinished}) takes its
     * lines with it; the task's result stays in the task model.
     */
    @Override
    public LogChunk readLog(java.util.UUID taskId, long position) {
        List<String> lines = new java.util.ArrayList<>();
        var pods = client.pods().inNamespace(client.getNamespace()).withLabel(AgentTask.TASK_ID_LABEL, taskId.toString())
                .list().getItems().stream()
                .sorted(java.util.Comparator.comparing(KubernetesTaskLauncher::runOf)
                        .thenComparing(p -> p.getMetadata().getCreationTimestamp(),
                                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                .toList();
        for (Pod pod : pods) {
            String log;
            try {
                log = client.pods().inNamespace(client.getNamespace()).withName(pod.getMetadata().getName())
                        .inContainer(AgentTaskJobs.CONTAINER).getLog();
            } catch (KubernetesClientException e) {
                continue; // not started yet, or gone
            }
            if (log == null || log.isEmpty()) {
                continue;
            }
            String[] all = log.split("\n", -1);
            // the last piece is a line still being written unless the log ends with a newline
            lines.addAll(List.of(all).subList(0, all.length - 1));
        }
        if (lines.size() <= position) {
            return new LogChunk(List.of(), Math.max(position, lines.size()));
        }
        return new LogChunk(List.copyOf(lines.subList((int) position, lines.size())), lines.size());
    }

    private static int runOf(Pod pod) {
        try {
            return Integer.parseInt(Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(AgentTask.RUN_LABEL))
                    .orElse("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Reading the log means listing pods and reading their logs from the API server: once a second. */
    @Override
    public long logPollMs() {
        return 1000;
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
        // created with the operator's finalizer: its first reconcile creates the Job at once instead
        // of adding the finalizer and waiting for the update to come back
        resource.getMetadata().setFinalizers(List.of(io.mainloop.agent.operator.AgentTaskReconciler.FINALIZER));
        resource.setSpec(spec);
        return resource;
    }
}
