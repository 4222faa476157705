package io.mainloop.agent.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.mainloop.agent.task.TaskAdoption;
import io.mainloop.agent.task.TaskSpec;
import io.mainloop.agent.task.TaskStatusSink;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reconciles AgentTask resources: creates each one's Job once ({@link AgentTaskJobs}: a
 * deterministic name, create-only, owned through an ownerReference), follows the Job's status
 * (active: Running; condition Complete: Succeeded; condition Failed, e.g. DeadlineExceeded or
 * BackoffLimitExceeded: Failed), reads the CLI's stream-json result line from the pod's log when
 * it ends, and patches the AgentTask's status only when it changed. What happens is reported to
 * the task model through {@link TaskStatusSink}; an AgentTask without a task (applied with
 * kubectl) becomes one through {@link TaskAdoption}. As a {@link Cleaner} it holds the finalizer
 * {@value #FINALIZER} on every AgentTask, so that deleting one whose task had not ended reports the
 * task Cancelled ({@link #cleanup}). Started only in Kubernetes mode ({@link OperatorStartup}).
 * Modelled on Keycloak's operator (its realm import owns a Job).
 */
@ControllerConfiguration(name = AgentTaskReconciler.NAME, finalizerName = AgentTaskReconciler.FINALIZER)
public class AgentTaskReconciler implements Reconciler<AgentTask>, Cleaner<AgentTask> {

    /** The controller's name (its {@code quarkus.operator-sdk.controllers.<name>.*} settings). */
    public static final String NAME = "agenttask";
    /** Labels of the Jobs this reconciler creates (its Job informer watches only these). */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by=mainloop-agent-service";
    /** The finalizer the operator SDK puts on each AgentTask (and removes after {@link #cleanup}). */
    public static final String FINALIZER = "agenttasks.mainloop.io/finalizer";
    /** The error a task gets when its AgentTask is deleted before it ended. */
    public static final String DELETED = "The AgentTask was deleted.";

    private static final Logger LOG = Logger.getLogger(AgentTaskReconciler.class);

    /** Runs the creates of a Job's claim and Secret beside the Job's (virtual threads: they wait on the API server). */
    private static final java.util.concurrent.Executor SIDE_BY_SIDE =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("agenttask-create-", 0).factory());

    @Inject
    AgentTaskJobs jobs;

    @Inject
    KubernetesConfig config;

    @Inject
    Instance<TaskStatusSink> sink;

    @Inject
    Instance<TaskAdoption> adoption;

    @Override
    public List<EventSource<?, AgentTask>> prepareEventSources(EventSourceContext<AgentTask> context) {
        InformerEventSourceConfiguration<Job> jobs = InformerEventSourceConfiguration.from(Job.class, AgentTask.class)
                .withLabelSelector(MANAGED_BY)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AgentTask.class))
                .withNamespacesInheritedFromController()
                .build();
        return List.of(new InformerEventSource<>(jobs, context));
    }

    @Override
    public UpdateControl<AgentTask> reconcile(AgentTask task, Context<AgentTask> context) {
        KubernetesClient client = context.getClient();
        AgentTaskStatus before = task.getStatus() == null ? new AgentTaskStatus() : task.getStatus().copy();
        AgentTaskStatus status = before.copy();
        long generation = Optional.ofNullable(task.getMetadata().getGeneration()).orElse(0L);
        int attempt = attempt(task);
        UUID taskId = taskId(task, status);

        String problem = jobs.problem(task.getSpec());
        if (problem != null) {
            condition(status, "Invalid", "True", "InvalidSpec", problem, generation);
            if (!TaskPhase.Failed.name().equals(status.phase)) {
                status.phase = TaskPhase.Failed.name();
                status.completedAt = now();
                report(taskId, s -> s.finished(taskId, attempt, TaskPhase.Failed, null, "invalid AgentTask: " + problem,
                        Usage.NONE, null, 0));
            }
            return patchIfChanged(task, before, status);
        }
        if (status.jobName == null && isTrue(status, "Invalid")) {
            // the spec was fixed before any Job ran: start afresh
            status.conditions.removeIf(c -> "Invalid".equals(c.getType()));
            status.phase = null;
            status.completedAt = null;
        }

        int run = task.getSpec().run();
        if (TaskPhase.NeedsInput.name().equals(status.phase)) {
            if (status.run != null && status.run >= run) {
                return patchIfChanged(task, before, status); // waits for the owner's answer in spec.answers
            }
            // an answer came: the next run resumes the session with it
            status.phase = TaskPhase.Pending.name();
            status.question = null;
            status.completedAt = null;
            condition(status, "NeedsInput", "False", "Answered", "the owner answered", generation);
        }
        if (ended(status.phase)) {
            run = status.run == null ? 0 : status.run; // answers after the end change nothing
        }
        status.run = run;
        String jobName = AgentTaskJobs.jobName(task.getMetadata().getName(), run);
        Job job = context.getSecondaryResources(Job.class).stream()
                .filter(j -> jobName.equals(j.getMetadata().getName())).findFirst().orElse(null);
        if (job == null && !ended(status.phase)) {
            if (status.jobName != null && status.jobName.equals(jobName)
                    && client.batch().v1().jobs().inNamespace(namespace(task)).withName(jobName).get() == null) {
                // its Job was deleted (not by TTL: that comes only after the end) while it ran
                condition(status, "Failed", "True", "JobDeleted", "the Job " + jobName + " was deleted", generation);
                end(status, TaskPhase.Failed, null, null);
                report(taskId, s -> s.finished(taskId, attempt, TaskPhase.Failed, null, "the Job was deleted", Usage.NONE,
                        null, 0));
                return patchIfChanged(task, before, status);
            }
            String id = taskId == null ? null : taskId.toString();
            // the claim, the MCP Secret and the Job are independent API objects: created side by side
            // (a pod waits for its claim and Secret anyway); a failure of any fails this reconcile, retried
            java.util.concurrent.CompletableFuture<Void> claim = java.util.concurrent.CompletableFuture.runAsync(
                    () -> jobs.createIfAbsent(client, jobs.claim(task)), SIDE_BY_SIDE);
            java.util.concurrent.CompletableFuture<Void> secret = id != null && jobs.mcpConfigured()
                    ? java.util.concurrent.CompletableFuture.runAsync(() -> jobs.createIfAbsent(client, jobs.mcpSecret(task, id)),
                            SIDE_BY_SIDE)
                    : java.util.concurrent.CompletableFuture.completedFuture(null);
            job = jobs.createIfAbsent(client, jobs.desired(task, id, run));
            try {
                java.util.concurrent.CompletableFuture.allOf(claim, secret).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (!ownedBy(job, task)) {
                // a Job of an earlier AgentTask of this name, still being garbage-collected
                LOG.infof("AgentTask %s waits for the Job %s of its predecessor to go", task.getMetadata().getName(), jobName);
                return patchIfChanged(task, before, status).rescheduleAfter(Duration.ofSeconds(5));
            }
        }
        if (job != null) {
            status.jobName = job.getMetadata().getName();
            follow(client, task, job, status, before, taskId, attempt, generation);
        } else if (status.phase == null) {
            status.phase = TaskPhase.Pending.name();
        }
        return patchIfChanged(task, before, status);
    }

    /**
     * Runs when an AgentTask is deleted (kubectl delete, the launcher's cancel or retry): if its task
     * had not ended, reports it Cancelled; then lets the finalizer go (the Job and its pod follow
     * through their ownerReference). A task without an id (never adopted) is not reported. If the
     * report fails, the operator SDK retries and the AgentTask stays until it succeeds; a repeated
     * report, or the one the launcher's cancel makes itself, is ignored by the task model (the task
     * has ended by then).
     */
    @Override
    public DeleteControl cleanup(AgentTask task, Context<AgentTask> context) {
        AgentTaskStatus status = task.getStatus() == null ? new AgentTaskStatus() : task.getStatus();
        if (ended(status.phase)) {
            return DeleteControl.defaultDelete();
        }
        UUID taskId = recordedTaskId(task, status);
        int attempt = attempt(task);
        long durationMs = between(status.startedAt, now());
        report(taskId, s -> s.finished(taskId, attempt, TaskPhase.Cancelled, null, DELETED, Usage.NONE, null, durationMs));
        return DeleteControl.defaultDelete();
    }

    /** Sets the phase, conditions and, at the end, result and cost from {@code job}; reports changes. */
    private void follow(KubernetesClient client, AgentTask task, Job job, AgentTaskStatus status, AgentTaskStatus before,
                        UUID taskId, int attempt, long generation) {
        JobStatus js = Optional.ofNullable(job.getStatus()).orElseGet(JobStatus::new);
        if (js.getStartTime() != null && status.startedAt == null) {
            status.startedAt = js.getStartTime();
        }
        JobCondition complete = jobCondition(js, "Complete");
        JobCondition failed = jobCondition(js, "Failed");
        boolean active = js.getActive() != null && js.getActive() > 0;

        if (ended(before.phase)) {
            return; // the end was read and reported once; a TTL-deleted or lingering Job changes nothing
        }
        if (complete == null && failed == null) {
            if (active) {
                status.phase = TaskPhase.Running.name();
                condition(status, "Running", "True", "PodActive", "the Job's pod runs", generation);
                if (!TaskPhase.Running.name().equals(before.phase)) {
                    report(taskId, s -> s.started(taskId, attempt, null));
                }
            } else {
                status.phase = TaskPhase.Pending.name();
            }
            return;
        }

        String log = podLog(client, job);
        StreamJsonResult result = StreamJsonResult.parse(log);
        String question = complete != null ? StreamJsonResult.question(log) : null;
        if (question != null && result != null && !result.isError()) {
            // it asked the owner (ask_owner) and ended its run: it waits for an answer in spec.answers
            status.phase = TaskPhase.NeedsInput.name();
            status.question = question;
            condition(status, "Running", "False", "AskedOwner", "the run ended with a question", generation);
            condition(status, "NeedsInput", "True", "AskedOwner", "waits for the owner's answer", generation);
            if (!TaskPhase.NeedsInput.name().equals(before.phase)) {
                report(taskId, s -> s.needsInput(taskId, attempt, question));
                report(taskId, s -> s.finished(taskId, attempt, TaskPhase.Succeeded, result.text(), null, result.usage(),
                        result.costUsd(), result.durationMs()));
            }
            return;
        }
        Usage usage = result == null ? Usage.NONE : result.usage();
        BigDecimal cost = result == null ? null : result.costUsd();
        String completedAt = Optional.ofNullable(js.getCompletionTime())
                .or(() -> Optional.ofNullable((failed != null ? failed : complete).getLastTransitionTime()))
                .orElse(now());
        long durationMs = result != null && result.durationMs() > 0 ? result.durationMs() : between(status.startedAt, completedAt);
        condition(status, "Running", "False", complete != null ? "Completed" : "Failed", "the Job ended", generation);
        status.costUsd = cost;
        status.completedAt = completedAt;

        if (complete != null && result != null && !result.isError()) {
            condition(status, "Complete", "True", "Succeeded", "the CLI finished", generation);
            end(status, TaskPhase.Succeeded, result.text(), cost);
            report(taskId, s -> s.finished(taskId, attempt, TaskPhase.Succeeded, result.text(), null, usage, cost, durationMs));
            return;
        }
        String reason;
        String error;
        if (failed != null) {
            reason = Objects.requireNonNullElse(failed.getReason(), "JobFailed");
            error = "DeadlineExceeded".equals(reason)
                    ? "the task ran past its deadline (activeDeadlineSeconds)"
                    : "the Job failed (" + reason + ")" + (failed.getMessage() == null ? "" : ": " + failed.getMessage());
        } else if (result == null) {
            reason = "NoResult";
            error = "the CLI wrote no result line";
        } else {
            reason = "CliError";
            error = "the CLI reported an error (" + result.subtype() + ")" + (result.text() == null ? "" : ": " + result.text());
        }
        if (result != null && result.isError() && failed != null) {
            error = error + "; the CLI reported " + result.subtype();
        }
        condition(status, "Failed", "True", reason, error, generation);
        end(status, TaskPhase.Failed, result == null ? null : result.text(), cost);
        String why = error;
        report(taskId, s -> s.finished(taskId, attempt, TaskPhase.Failed, null, why, usage, cost, durationMs));
    }

    private static void end(AgentTaskStatus status, TaskPhase phase, String result, BigDecimal cost) {
        status.phase = phase.name();
        status.result = result;
        status.costUsd = cost;
        if (status.completedAt == null) {
            status.completedAt = now();
        }
    }

    /** The CLI container's log of the Job's newest pod, or null if none can be read. */
    private static String podLog(KubernetesClient client, Job job) {
        try {
            String ns = job.getMetadata().getNamespace();
            List<Pod> pods = client.pods().inNamespace(ns).withLabel(AgentTaskJobs.JOB_NAME_LABEL, job.getMetadata().getName())
                    .list().getItems();
            Optional<Pod> newest = pods.stream().max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp(),
                    Comparator.nullsFirst(Comparator.naturalOrder())));
            if (newest.isEmpty()) {
                return null;
            }
            return client.pods().inNamespace(ns).withName(newest.get().getMetadata().getName())
                    .inContainer(AgentTaskJobs.CONTAINER).getLog();
        } catch (RuntimeException e) {
            LOG.warnf("Cannot read the log of the Job %s's pod: %s", job.getMetadata().getName(), e.getMessage());
            return null;
        }
    }

    /** The task's id: the label, else the status; an AgentTask with neither is adopted (if a TaskAdoption exists). */
    private UUID taskId(AgentTask task, AgentTaskStatus status) {
        String id = Optional.ofNullable(task.getMetadata().getLabels()).map(l -> l.get(AgentTask.TASK_ID_LABEL))
                .orElse(status.taskId);
        if (id != null) {
            status.taskId = id;
            return UUID.fromString(id);
        }
        if (!adoption.isResolvable()) {
            return null;
        }
        AgentTaskSpec spec = task.getSpec() == null ? new AgentTaskSpec() : task.getSpec();
        String thread = spec.threadId == null || spec.threadId.isBlank() ? config.defaults().threadId() : spec.threadId;
        UUID adopted = adoption.get().adopt(task.getMetadata().getName(), thread, new TaskSpec(
                spec.title == null ? task.getMetadata().getName() : spec.title, spec.prompt, spec.model,
                spec.repository == null ? null : spec.repository.url, spec.repository == null ? null : spec.repository.branch,
                spec.workdir, spec.profile, spec.maxTurns,
                spec.deadlineSeconds == null ? null : Duration.ofSeconds(spec.deadlineSeconds), spec.maxBudgetUsd));
        status.taskId = adopted.toString();
        return adopted;
    }

    /** The task id the AgentTask records (its label, else its status), or null if none or not a UUID. */
    private static UUID recordedTaskId(AgentTask task, AgentTaskStatus status) {
        String id = Optional.ofNullable(task.getMetadata().getLabels()).map(l -> l.get(AgentTask.TASK_ID_LABEL))
                .orElse(status.taskId);
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            LOG.warnf("AgentTask %s has no valid task id (%s)", task.getMetadata().getName(), id);
            return null;
        }
    }

    private void report(UUID taskId, java.util.function.Consumer<TaskStatusSink> call) {
        if (taskId != null && sink.isResolvable()) {
            call.accept(sink.get());
        }
    }

    private static int attempt(AgentTask task) {
        String value = Optional.ofNullable(task.getMetadata().getAnnotations())
                .map(a -> a.get(AgentTask.ATTEMPT_ANNOTATION)).orElse(null);
        try {
            return value == null ? 1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static UpdateControl<AgentTask> patchIfChanged(AgentTask task, AgentTaskStatus before, AgentTaskStatus status) {
        if (status.equals(before)) {
            return UpdateControl.noUpdate();
        }
        task.setStatus(status);
        return UpdateControl.patchStatus(task);
    }

    /**
     * Sets condition {@code type}; its {@code lastTransitionTime} moves only when its status,
     * reason or message change (Kubernetes API conventions, "Typical status properties").
     */
    static void condition(AgentTaskStatus status, String type, String value, String reason, String message, long generation) {
        Condition existing = status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        if (existing != null && value.equals(existing.getStatus()) && Objects.equals(reason, existing.getReason())
                && Objects.equals(message, existing.getMessage())) {
            existing.setObservedGeneration(generation);
            return;
        }
        status.conditions.removeIf(c -> type.equals(c.getType()));
        status.conditions.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(now()).build());
    }

    private static boolean isTrue(AgentTaskStatus status, String type) {
        return status.conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static JobCondition jobCondition(JobStatus status, String type) {
        return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
    }

    private static boolean ownedBy(Job job, AgentTask task) {
        List<OwnerReference> owners = Optional.ofNullable(job.getMetadata().getOwnerReferences()).orElse(List.of());
        return owners.stream().anyMatch(o -> Objects.equals(o.getUid(), task.getMetadata().getUid()));
    }

    private static boolean ended(String phase) {
        return phase != null && TaskPhase.valueOf(phase).finished();
    }

    private static String namespace(AgentTask task) {
        return task.getMetadata().getNamespace();
    }

    private static long between(String from, String to) {
        try {
            return from == null ? 0 : Duration.between(Instant.parse(from), Instant.parse(to)).toMillis();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
}
