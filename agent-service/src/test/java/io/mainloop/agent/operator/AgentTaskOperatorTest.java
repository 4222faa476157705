package io.mainloop.agent.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mainloop.agent.launcher.KubernetesTaskLauncher;
import io.mainloop.agent.launcher.TaskLauncher;
import io.mainloop.agent.task.TaskEntity;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * agent-service in Kubernetes mode against the fabric8 mock API server (CRUD mode; no controllers
 * run there, so the test sets Job status itself): the AgentTask operator creates one Job per
 * AgentTask, follows it, reports to the task model, and works with kubectl.
 */
@QuarkusTest
@TestProfile(KubernetesModeProfile.class)
@WithKubernetesTestServer(crud = true, setup = MockCluster.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
public class AgentTaskOperatorTest {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    RecordingTaskSink sink;

    @Inject
    AgentTaskJobs jobs;

    @Inject
    Instance<TaskLauncher> launchers;

    @Inject
    QuarkusConfigurationService operatorConfig;

    @Test
    void anAgentTaskGetsOneJobBuiltFromItsSpec() {
        UUID taskId = UUID.randomUUID();
        AgentTask task = agentTask("spec-" + shortId(), taskId);
        task.getSpec().prompt = "Fix the \"flaky\" test; keep $(HOME) and $$ as they are; `rm -rf /` is text";
        task.getSpec().model = "sonnet";
        task.getSpec().repository = new AgentTaskSpec.Repository();
        task.getSpec().repository.url = "https://github.com/example/app.git";
        task.getSpec().repository.branch = "release/1.2";
        task.getSpec().workdir = "services/api";
        task.getSpec().profile = "medium";
        task.getSpec().maxTurns = 7;
        task.getSpec().deadlineSeconds = 600L;
        task.getSpec().maxBudgetUsd = new BigDecimal("1.50");
        AgentTask created = client.resource(task).create();

        Job job = await("the Job", () -> job(created));
        assertEquals("at-" + created.getMetadata().getName(), job.getMetadata().getName());
        assertEquals(taskId.toString(), job.getMetadata().getLabels().get("mainloop.io/task-id"));
        assertEquals("mainloop", job.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
        assertEquals("mainloop-agent-service", job.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        OwnerReference owner = job.getMetadata().getOwnerReferences().getFirst();
        assertEquals(List.of("mainloop.io/v1", "AgentTask", created.getMetadata().getName(), created.getMetadata().getUid(), true, true),
                List.of(owner.getApiVersion(), owner.getKind(), owner.getName(), owner.getUid(), owner.getController(),
                        owner.getBlockOwnerDeletion()));

        var spec = job.getSpec();
        assertEquals(1, spec.getBackoffLimit());
        assertEquals(600L, spec.getActiveDeadlineSeconds());
        assertEquals(7200, spec.getTtlSecondsAfterFinished());
        List<PodFailurePolicyRule> rules = spec.getPodFailurePolicy().getRules();
        assertEquals("Ignore", rules.get(0).getAction());
        assertEquals("DisruptionTarget", rules.get(0).getOnPodConditions().getFirst().getType());
        assertEquals("FailJob", rules.get(1).getAction());
        assertEquals(List.of(0), rules.get(1).getOnExitCodes().getValues());
        assertEquals(job.getMetadata().getLabels(), spec.getTemplate().getMetadata().getLabels());

        PodSpec pod = spec.getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals("mainloop-agent-task", pod.getServiceAccountName());
        assertFalse(pod.getAutomountServiceAccountToken());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        // the workspace and the CLI's home (the session transcript) on the AgentTask's claim, kept between runs
        var volumes = pod.getVolumes().stream().collect(Collectors.toMap(v -> v.getName(), v -> v));
        assertEquals(Set.of("work", "tmp", "mcp"), volumes.keySet());
        assertEquals(job.getMetadata().getName(), volumes.get("work").getPersistentVolumeClaim().getClaimName());
        assertNotNull(volumes.get("tmp").getEmptyDir());
        assertEquals(job.getMetadata().getName() + "-mcp", volumes.get("mcp").getSecret().getSecretName());
        var claim = client.persistentVolumeClaims().inNamespace(ns()).withName(job.getMetadata().getName()).get();
        assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
        assertEquals(new Quantity("2Gi"), claim.getSpec().getResources().getRequests().get("storage"));
        assertEquals("fast", claim.getSpec().getStorageClassName());
        assertEquals(created.getMetadata().getUid(), claim.getMetadata().getOwnerReferences().getFirst().getUid());
        // the sub-agent's MCP configuration: agent-service's tasks server, its own token, in a Secret it owns
        var mcp = client.secrets().inNamespace(ns()).withName(job.getMetadata().getName() + "-mcp").get();
        assertEquals(created.getMetadata().getUid(), mcp.getMetadata().getOwnerReferences().getFirst().getUid());
        String mcpJson = mcp.getStringData() != null ? mcp.getStringData().get("mcp.json")
                : new String(java.util.Base64.getDecoder().decode(mcp.getData().get("mcp.json")), StandardCharsets.UTF_8);
        var servers = Serialization.unmarshal(mcpJson, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> tasksServer = (Map<String, Object>) ((Map<String, Object>) servers.get("mcpServers")).get("tasks");
        assertEquals("http://mainloop-agent.mainloop.svc:8082/mcp", tasksServer.get("url"));
        assertEquals(Map.of("Authorization", "Bearer " + io.mainloop.support.mcp.McpTokens.token(
                KubernetesModeProfile.MCP_SECRET, "task:" + taskId), "Mainloop-Thread", "task:" + taskId), tasksServer.get("headers"));

        Container cli = pod.getContainers().getFirst();
        assertEquals("registry.example/mainloop/agent-task:1.0", cli.getImage());
        assertEquals(List.of("claude"), cli.getCommand());
        assertEquals(List.of("-p", "$(MAINLOOP_TASK_PROMPT)", "--output-format", "stream-json", "--verbose",
                "--session-id", created.getMetadata().getUid(), "--append-system-prompt", "$(MAINLOOP_TASK_INSTRUCTIONS)",
                "--model", "sonnet", "--max-turns", "7", "--max-budget-usd", "1.5",
                "--permission-mode", "bypassPermissions", "--strict-mcp-config", "--mcp-config", "/etc/mainloop/mcp/mcp.json"),
                cli.getArgs());
        assertEquals(Map.of("/workspace", "workspace", "/home/agent", "home"), cli.getVolumeMounts().stream()
                .filter(m -> m.getSubPath() != null).collect(Collectors.toMap(m -> m.getMountPath(), m -> m.getSubPath())));
        assertTrue(cli.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/etc/mainloop/mcp") && m.getReadOnly()));
        assertEquals("/workspace/services/api", cli.getWorkingDir());
        Map<String, EnvVar> env = cli.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        // Kubernetes reduces $$ to $ when it expands the variable: the CLI gets the prompt verbatim
        assertEquals("Fix the \"flaky\" test; keep $$(HOME) and $$$$ as they are; `rm -rf /` is text",
                env.get("MAINLOOP_TASK_PROMPT").getValue());
        assertEquals("/home/agent", env.get("HOME").getValue());
        for (String secret : List.of("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "GH_TOKEN")) {
            var ref = env.get(secret).getValueFrom().getSecretKeyRef();
            assertEquals(List.of("mainloop-agent-credentials", secret, true), List.of(ref.getName(), ref.getKey(), ref.getOptional()));
            assertNull(env.get(secret).getValue(), "only a reference to the Secret");
        }
        assertSecure(cli);
        assertEquals(new Quantity("1"), cli.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("2Gi"), cli.getResources().getLimits().get("memory"));
        assertEquals(cli.getResources().getRequests(), cli.getResources().getLimits());

        Container clone = pod.getInitContainers().getFirst();
        assertEquals("registry.example/git:2", clone.getImage());
        List<String> cmd = clone.getCommand();
        assertEquals(List.of("sh", "-c"), cmd.subList(0, 2));
        assertTrue(cmd.get(2).startsWith("[ -e \"$1/.git\" ] || exec git"), "clones once: " + cmd.get(2));
        assertTrue(cmd.get(2).contains("clone --depth 1 --single-branch ${GIT_BRANCH:+--branch \"$GIT_BRANCH\"} -- \"$2\" \"$1\""));
        assertEquals(List.of("/workspace", "https://github.com/example/app.git"), cmd.subList(4, 6));
        assertEquals("release/1.2", clone.getEnv().stream().filter(e -> e.getName().equals("GIT_BRANCH")).findFirst()
                .orElseThrow().getValue());
        assertSecure(clone);

        AgentTask status = await("status Pending with the Job", () -> {
            AgentTask at = get(created);
            return at.getStatus() != null && "Pending".equals(at.getStatus().phase)
                    && job.getMetadata().getName().equals(at.getStatus().jobName) ? at : null;
        });
        assertEquals(taskId.toString(), status.getStatus().taskId);
    }

    @Test
    void withoutARepositoryThereIsNoCloneAndDefaultsApply() {
        AgentTask created = client.resource(agentTask("plain-" + shortId(), UUID.randomUUID())).create();
        Job job = await("the Job", () -> job(created));
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertTrue(pod.getInitContainers() == null || pod.getInitContainers().isEmpty());
        Container cli = pod.getContainers().getFirst();
        assertEquals("/workspace", cli.getWorkingDir());
        assertEquals(3600L, job.getSpec().getActiveDeadlineSeconds());
        assertEquals(new Quantity("250m"), cli.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("512Mi"), cli.getResources().getLimits().get("memory"));
        assertFalse(cli.getArgs().contains("--model"));
        assertEquals("50", cli.getArgs().get(cli.getArgs().indexOf("--max-turns") + 1));
    }

    @Test
    void theJobsStatusDrivesTheAgentTaskAndTheTask() {
        UUID taskId = UUID.randomUUID();
        AgentTask created = client.resource(agentTask("run-" + shortId(), taskId)).create();
        Job job = await("the Job", () -> job(created));

        setJobStatus(job, new JobStatusBuilder().withActive(1).withStartTime("2026-11-29T10:00:00Z").build());
        AgentTask running = awaitPhase(created, "Running");
        assertEquals("2026-11-29T10:00:00Z", running.getStatus().startedAt);
        Condition runningCondition = condition(running, "Running");
        assertEquals("True", runningCondition.getStatus());
        assertEquals(running.getMetadata().getGeneration(), runningCondition.getObservedGeneration());
        assertNotNull(runningCondition.getLastTransitionTime());
        await("started reported", () -> sink.of(taskId).stream().anyMatch(r -> r.kind().equals("started")) ? true : null);

        String pod = podOf(job);
        server.expect().get().withPath("/api/v1/namespaces/" + ns() + "/pods/" + pod + "/log?pretty=false&container=claude")
                .andReturn(200, """
                        {"type":"system","subtype":"init","session_id":"s1"}
                        {"type":"assistant","message":{"content":[{"type":"text","text":"Done."}]}}
                        {"is_error":false,"type":"result","subtype":"success","result":"Fixed the flaky test in 2 files.","duration_ms":61000,"total_cost_usd":0.4213,"usage":{"input_tokens":1200,"output_tokens":340,"cache_read_input_tokens":5000,"cache_creation_input_tokens":10}}
                        """).always();
        setJobStatus(job, new JobStatusBuilder().withSucceeded(1).withStartTime("2026-11-29T10:00:00Z")
                .withCompletionTime("2026-11-29T10:01:02Z")
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());

        AgentTask done = awaitPhase(created, "Succeeded");
        assertEquals("Fixed the flaky test in 2 files.", done.getStatus().result);
        assertEquals(0, new BigDecimal("0.4213").compareTo(done.getStatus().costUsd));
        assertEquals("2026-11-29T10:01:02Z", done.getStatus().completedAt);
        assertEquals("True", condition(done, "Complete").getStatus());
        assertEquals("False", condition(done, "Running").getStatus());
        RecordingTaskSink.Report finished = await("finished reported", () -> sink.of(taskId).stream()
                .filter(r -> r.kind().equals("finished")).findFirst().orElse(null));
        assertEquals(TaskPhase.Succeeded, finished.phase());
        assertEquals("Fixed the flaky test in 2 files.", finished.result());
        assertEquals(1200, finished.usage().inputTokens());
        assertEquals(340, finished.usage().outputTokens());
        assertEquals(1, finished.attempt());
        assertEquals(List.of("started", "finished"), sink.of(taskId).stream().map(RecordingTaskSink.Report::kind).distinct().toList());
    }

    @Test
    void aJobPastItsDeadlineFailsTheTask() {
        UUID taskId = UUID.randomUUID();
        AgentTask created = client.resource(agentTask("late-" + shortId(), taskId)).create();
        Job job = await("the Job", () -> job(created));
        setJobStatus(job, new JobStatusBuilder().withFailed(1).withStartTime("2026-11-29T10:00:00Z")
                .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("DeadlineExceeded")
                        .withMessage("Job was active longer than specified deadline").build()).build());

        AgentTask failed = awaitPhase(created, "Failed");
        Condition c = condition(failed, "Failed");
        assertEquals("DeadlineExceeded", c.getReason());
        RecordingTaskSink.Report finished = await("finished reported", () -> sink.of(taskId).stream()
                .filter(r -> r.kind().equals("finished")).findFirst().orElse(null));
        assertEquals(TaskPhase.Failed, finished.phase());
        assertTrue(finished.error().contains("deadline"), finished.error());
    }

    @Test
    void anInvalidSpecGetsTheInvalidConditionAndNoJob() {
        Map<String, java.util.function.Consumer<AgentTaskSpec>> mistakes = Map.of(
                "no-prompt", s -> s.prompt = null,
                "bad-profile", s -> s.profile = "huge",
                "http-repo", s -> {
                    s.repository = new AgentTaskSpec.Repository();
                    s.repository.url = "http://github.com/example/app.git";
                },
                "negative-turns", s -> s.maxTurns = -3,
                "negative-budget", s -> s.maxBudgetUsd = new BigDecimal("-1"));
        mistakes.forEach((what, mistake) -> {
            UUID taskId = UUID.randomUUID();
            AgentTask task = agentTask(what + "-" + shortId(), taskId);
            mistake.accept(task.getSpec());
            AgentTask created = client.resource(task).create();
            AgentTask failed = awaitPhase(created, "Failed");
            Condition invalid = condition(failed, "Invalid");
            assertEquals("True", invalid.getStatus(), what);
            assertEquals("InvalidSpec", invalid.getReason(), what);
            assertNotNull(invalid.getMessage(), what);
            RecordingTaskSink.Report finished = await("finished reported", () -> sink.of(taskId).stream()
                    .filter(r -> r.kind().equals("finished")).findFirst().orElse(null));
            assertEquals(TaskPhase.Failed, finished.phase(), what);
            assertNull(job(created), what + ": no Job");
        });
    }

    @Test
    void deletingTheAgentTaskTakesItsJob() {
        AgentTask created = client.resource(agentTask("gone-" + shortId(), UUID.randomUUID())).create();
        Job job = await("the Job", () -> job(created));
        // the API server's garbage collector deletes a Job whose controller owner is gone; the mock has none,
        // so the ownerReference it acts on is what is checked
        OwnerReference owner = job.getMetadata().getOwnerReferences().getFirst();
        assertEquals(created.getMetadata().getUid(), owner.getUid());
        assertTrue(owner.getController());
        client.resource(created).delete();
        await("the AgentTask gone", () -> get(created) == null ? true : null);
    }

    @Test
    void deletingARunningAgentTaskCancelsItsTaskOnce() {
        UUID taskId = UUID.randomUUID();
        AgentTask created = client.resource(agentTask("kill-" + shortId(), taskId)).create();
        Job job = await("the Job", () -> job(created));
        setJobStatus(job, new JobStatusBuilder().withActive(1).withStartTime("2026-11-29T10:00:00Z").build());
        AgentTask running = awaitPhase(created, "Running");
        assertEquals(List.of(AgentTaskReconciler.FINALIZER), running.getMetadata().getFinalizers());

        client.resource(created).delete();
        await("the AgentTask gone", () -> get(created) == null ? true : null);
        List<RecordingTaskSink.Report> ends = sink.of(taskId).stream().filter(r -> r.kind().equals("finished")).toList();
        assertEquals(1, ends.size(), "reported before the finalizer went, once: " + ends);
        assertEquals(TaskPhase.Cancelled, ends.getFirst().phase());
        assertEquals("The AgentTask was deleted.", ends.getFirst().error());
        assertEquals(1, ends.getFirst().attempt());
    }

    @Test
    void deletingAnEndedAgentTaskReportsNothingMore() {
        UUID taskId = UUID.randomUUID();
        AgentTask task = agentTask("ended-" + shortId(), taskId);
        task.getSpec().prompt = null;
        AgentTask created = client.resource(task).create();
        AgentTask failed = awaitPhase(created, "Failed");
        assertEquals(List.of(AgentTaskReconciler.FINALIZER), failed.getMetadata().getFinalizers());

        client.resource(created).delete();
        await("the AgentTask gone", () -> get(created) == null ? true : null);
        assertEquals(List.of(TaskPhase.Failed), sink.of(taskId).stream().filter(r -> r.kind().equals("finished"))
                .map(RecordingTaskSink.Report::phase).toList());
    }

    @Test
    void aRestartedOperatorCreatesNoSecondJob() {
        AgentTask created = client.resource(agentTask("again-" + shortId(), UUID.randomUUID())).create();
        Job first = await("the Job", () -> job(created));
        // a restarted operator starts with an empty cache and reconciles every AgentTask again
        Job again = jobs.createIfAbsent(client, jobs.desired(get(created), null, 0));
        assertEquals(first.getMetadata().getUid(), again.getMetadata().getUid());
        assertEquals(first.getMetadata().getResourceVersion(), job(created).getMetadata().getResourceVersion(), "never updated");
        assertEquals(1, jobsOf(created).size());
    }

    @Test
    void twoReplicasRacingCreateOneJob() throws Exception {
        AgentTask created = client.resource(agentTask("race-" + shortId(), UUID.randomUUID())).create();
        AgentTask fresh = get(created);
        CountDownLatch go = new CountDownLatch(1);
        Callable<Job> replica = () -> {
            go.await();
            return jobs.createIfAbsent(client, jobs.desired(fresh, null, 0));
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Job>> results = List.of(pool.submit(replica), pool.submit(replica), pool.submit(replica), pool.submit(replica));
            go.countDown();
            Set<String> uids = new java.util.HashSet<>();
            for (Future<Job> r : results) {
                uids.add(r.get(20, TimeUnit.SECONDS).getMetadata().getUid());
            }
            assertEquals(1, uids.size(), "every replica sees the same Job");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, jobsOf(created).size());
    }

    @Test
    void theLauncherCreatesAndCancelsTheTasksAgentTask() {
        TaskLauncher launcher = launchers.select(KubernetesTaskLauncher.class).get();
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID();
        task.threadId = "thread-1";
        task.title = "Upgrade the dependencies";
        task.prompt = "Upgrade every dependency and run the tests.";
        task.profile = "large";
        task.maxTurns = 30;
        task.deadlineSeconds = 1800;
        task.maxBudgetUsd = new BigDecimal("3.00");
        task.source = "api";
        task.phase = TaskPhase.Running;
        task.attempt = 1;
        task.startedAt = Instant.now();

        launcher.start(task);
        launcher.start(task); // a repeated start (a re-delivered request) creates nothing more
        AgentTask at = client.resources(AgentTask.class).inNamespace(ns()).withName("task-" + task.id).get();
        assertEquals(task.id.toString(), at.getMetadata().getLabels().get("mainloop.io/task-id"));
        assertEquals("thread-1", at.getSpec().threadId);
        assertEquals("large", at.getSpec().profile);
        Job job = await("the Job", () -> job(at));
        assertEquals(1, jobsOf(at).size());
        assertEquals(task.id.toString(), job.getMetadata().getLabels().get("mainloop.io/task-id"));

        launcher.cancel(task);
        await("the AgentTask gone", () -> get(at) == null ? true : null);
        RecordingTaskSink.Report cancelled = await("cancel reported", () -> sink.of(task.id).stream()
                .filter(r -> r.phase() == TaskPhase.Cancelled).findFirst().orElse(null));
        assertEquals("finished", cancelled.kind());
    }

    @Test
    void aRetryReplacesTheEarlierAttemptsAgentTaskOnceItsFinalizerRan() {
        TaskLauncher launcher = launchers.select(KubernetesTaskLauncher.class).get();
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID();
        task.threadId = "thread-1";
        task.title = "Flaky build";
        task.prompt = "Find out why the build fails.";
        task.profile = "small";
        task.maxTurns = 10;
        task.deadlineSeconds = 600;
        task.maxBudgetUsd = new BigDecimal("1.00");
        task.source = "api";
        task.phase = TaskPhase.Running;
        task.attempt = 1;
        task.startedAt = Instant.now();
        String name = "task-" + task.id;

        launcher.start(task);
        AgentTask first = await("the first attempt's AgentTask with its finalizer", () -> {
            AgentTask at = client.resources(AgentTask.class).inNamespace(ns()).withName(name).get();
            return at != null && at.getMetadata().getFinalizers() != null && !at.getMetadata().getFinalizers().isEmpty()
                    ? at : null;
        });
        await("the first attempt's Job", () -> job(first));

        task.attempt = 2; // the owner pressed Retry
        launcher.start(task);
        AgentTask second = client.resources(AgentTask.class).inNamespace(ns()).withName(name).get();
        assertEquals("2", second.getMetadata().getAnnotations().get(AgentTask.ATTEMPT_ANNOTATION),
                "the retry has an AgentTask of its own");
        await("the second attempt's Job", () -> job(second));
        assertEquals(1, jobsOf(second).size());
    }

    @Test
    void aQuestionWaitsForTheAnswerAndTheNextRunResumesTheSessionOnTheSameClaim() throws Exception {
        TaskLauncher launcher = launchers.select(KubernetesTaskLauncher.class).get();
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID();
        task.threadId = "thread-1";
        task.title = "Paint the fence";
        task.prompt = "Paint the fence.";
        task.source = "api";
        task.phase = TaskPhase.Running;
        task.attempt = 1;
        task.maxTurns = 10;
        task.deadlineSeconds = 600;
        task.maxBudgetUsd = new BigDecimal("1.00");
        task.startedAt = Instant.now();
        launcher.start(task);
        AgentTask at = await("the AgentTask", () -> client.resources(AgentTask.class).inNamespace(ns())
                .withName("task-" + task.id).get());
        Job first = await("the first run's Job", () -> job(at));
        setJobStatus(first, new JobStatusBuilder().withActive(1).withStartTime("2026-11-29T10:00:00Z").build());
        awaitPhase(at, "Running");

        String firstPod = podOf(first);
        server.expect().get().withPath("/api/v1/namespaces/" + ns() + "/pods/" + firstPod + "/log?pretty=false&container=claude")
                .andReturn(200, """
                        {"type":"system","subtype":"init","session_id":"s1"}
                        {"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"mcp__tasks__ask_owner","input":{"question":"Which colour?"}}]}}
                        {"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","is_error":false,"content":"Your question is with the owner."}]}}
                        {"is_error":false,"type":"result","subtype":"success","result":"I asked which colour.","duration_ms":3000,"total_cost_usd":0.01,"usage":{"input_tokens":100,"output_tokens":10}}
                        """).always();
        // live: the lines written so far, then nothing new until the pod writes more
        TaskLauncher.LogChunk live = launcher.readLog(task.id, 0);
        assertEquals(4, live.lines().size());
        assertTrue(live.lines().get(1).contains("Which colour?"));
        assertEquals(List.of(), launcher.readLog(task.id, live.next()).lines());

        setJobStatus(first, new JobStatusBuilder().withSucceeded(1).withStartTime("2026-11-29T10:00:00Z")
                .withCompletionTime("2026-11-29T10:00:03Z")
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        AgentTask asking = awaitPhase(at, "NeedsInput");
        assertEquals("Which colour?", asking.getStatus().question);
        assertEquals("True", condition(asking, "NeedsInput").getStatus());
        RecordingTaskSink.Report question = await("the question reported", () -> sink.of(task.id).stream()
                .filter(r -> r.kind().equals("needsInput")).findFirst().orElse(null));
        assertEquals("Which colour?", question.error());
        assertEquals(1, jobsOf(at).size(), "no second run before the answer");

        // the owner answers: the task is claimed again (attempt 2) with the answer
        task.attempt = 2;
        task.answer = "Dark green.";
        launcher.start(task);
        launcher.start(task); // repeated: no second answer
        AgentTask answered = get(at);
        assertEquals(List.of("Dark green."), answered.getSpec().answers);
        assertEquals("2", answered.getMetadata().getAnnotations().get(AgentTask.ATTEMPT_ANNOTATION));
        assertEquals(at.getMetadata().getUid(), answered.getMetadata().getUid(), "the same AgentTask, claim and session");

        Job second = await("the second run's Job", () -> client.batch().v1().jobs().inNamespace(ns())
                .withName(AgentTaskJobs.jobName(at.getMetadata().getName(), 1)).get());
        List<String> args = second.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs();
        assertEquals(at.getMetadata().getUid(), args.get(args.indexOf("--resume") + 1));
        assertFalse(args.contains("--session-id"));
        assertEquals("The owner answered your question:\nDark green.", second.getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getEnv().stream().filter(e -> e.getName().equals("MAINLOOP_TASK_PROMPT")).findFirst().orElseThrow().getValue());
        assertEquals(AgentTaskJobs.claimName(at.getMetadata().getName()), second.getSpec().getTemplate().getSpec().getVolumes()
                .stream().filter(v -> v.getName().equals("work")).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());

        setJobStatus(second, new JobStatusBuilder().withActive(1).withStartTime("2026-11-29T11:00:00Z").build());
        await("the resumed run reported started as attempt 2", () -> sink.of(task.id).stream()
                .anyMatch(r -> r.kind().equals("started") && r.attempt() == 2) ? true : null);
        String secondPod = podOf(second);
        server.expect().get().withPath("/api/v1/namespaces/" + ns() + "/pods/" + secondPod + "/log?pretty=false&container=claude")
                .andReturn(200, """
                        {"type":"system","subtype":"init","session_id":"s1"}
                        {"is_error":false,"type":"result","subtype":"success","result":"Painted it dark green.","duration_ms":5000,"total_cost_usd":0.02,"usage":{"input_tokens":200,"output_tokens":20}}
                        """).always();
        setJobStatus(second, new JobStatusBuilder().withSucceeded(1).withStartTime("2026-11-29T11:00:00Z")
                .withCompletionTime("2026-11-29T11:00:05Z")
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        AgentTask done = awaitPhase(at, "Succeeded");
        assertEquals("Painted it dark green.", done.getStatus().result);
        assertNull(done.getStatus().question);
        RecordingTaskSink.Report finished = await("the end reported", () -> sink.of(task.id).stream()
                .filter(r -> r.kind().equals("finished") && r.attempt() == 2).findFirst().orElse(null));
        assertEquals(TaskPhase.Succeeded, finished.phase());
        // the whole log: both runs, in order
        List<String> all = launcher.readLog(task.id, 0).lines();
        assertEquals(6, all.size());
        assertTrue(all.get(5).contains("Painted it dark green."));
    }

    @Test
    void readinessIncludesTheOperator() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'AgentTask operator' }.status", org.hamcrest.Matchers.is("UP"));
    }

    @Test
    void theCheckedInCrdIsTheGeneratedOneWithItsPrinterColumns() throws Exception {
        String generated = operatorConfig.getCRDGenerationInfo().getCRDInfosFor("agenttasks.mainloop.io").get("v1").getFilePath();
        // the generator sorts printer columns by JSON path; kubectl shows them in the CRD's order
        String expected = AgentTaskCrd.withColumnOrder(Files.readString(Path.of(generated), StandardCharsets.UTF_8),
                List.of("PHASE", "MODEL", "COST", "AGE"));
        Path forHelm = Path.of("target", "crd-for-helm", "agenttasks.mainloop.io-v1.yml");
        Files.createDirectories(forHelm.getParent());
        Files.writeString(forHelm, expected, StandardCharsets.UTF_8);
        String checkedIn = Files.readString(MockCluster.CRD, StandardCharsets.UTF_8);
        assertEquals(expected, checkedIn, "helm/mainloop/crds/agenttasks.mainloop.io-v1.yml differs from the CRD generated "
                + "from the AgentTask classes; copy it: cp agent-service/" + forHelm + " helm/mainloop/crds/");

        CustomResourceDefinition crd = Serialization.unmarshal(checkedIn, CustomResourceDefinition.class);
        assertEquals("Namespaced", crd.getSpec().getScope());
        assertEquals(List.of("at"), crd.getSpec().getNames().getShortNames());
        var version = crd.getSpec().getVersions().getFirst();
        assertNotNull(version.getSubresources().getStatus());
        // kubectl get at: NAME and these, in this order
        assertEquals(List.of("PHASE .status.phase", "MODEL .spec.model", "COST .status.costUsd", "AGE .metadata.creationTimestamp"),
                version.getAdditionalPrinterColumns().stream().map(c -> c.getName() + " " + c.getJsonPath()).toList());
        assertEquals("date", version.getAdditionalPrinterColumns().stream()
                .filter(c -> c.getName().equals("AGE")).map(CustomResourceColumnDefinition::getType).findFirst().orElseThrow());
        assertEquals(List.of("prompt"), version.getSchema().getOpenAPIV3Schema().getProperties().get("spec").getRequired());
    }

    @Test
    void kubectlAppliesGetsAndDeletesAnAgentTask() throws Exception {
        assertTrue(onPath("kubectl"), "kubectl is not on the PATH (Debian's kubectl; preinstalled on the build machines)");
        Path dir = Files.createTempDirectory("kubectl");
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: me, user: {token: none}}]
                contexts: [{name: mock, context: {cluster: mock, user: me, namespace: %s}}]
                current-context: mock
                """.formatted(client.getMasterUrl().toString().replaceAll("/$", ""), ns()));
        Path yaml = dir.resolve("task.yaml");
        Files.writeString(yaml, """
                apiVersion: mainloop.io/v1
                kind: AgentTask
                metadata:
                  name: from-kubectl
                spec:
                  title: Summarise the open issues
                  prompt: Read the open issues and write a summary to SUMMARY.md.
                  profile: small
                  maxTurns: 20
                  maxBudgetUsd: 1.5
                """);
        Kubectl apply = kubectl(dir, kubeconfig, "apply", "--validate=false", "-f", yaml.toString());
        assertEquals(0, apply.exit(), apply.output());
        Kubectl listed = kubectl(dir, kubeconfig, "get", "at");
        assertEquals(0, listed.exit(), listed.output());
        assertTrue(listed.output().contains("from-kubectl"), listed.output());

        AgentTask applied = client.resources(AgentTask.class).inNamespace(ns()).withName("from-kubectl").get();
        Job job = await("the Job", () -> job(applied));
        RecordingTaskSink.Adopted adopted = sink.adopted("from-kubectl");
        assertNotNull(adopted, "the applied AgentTask became a task");
        assertEquals("owner-main", adopted.threadId());
        assertEquals("Summarise the open issues", adopted.spec().title());
        AgentTask withId = await("status.taskId", () -> {
            AgentTask at = get(applied);
            return at.getStatus() != null && adopted.taskId().toString().equals(at.getStatus().taskId) ? at : null;
        });
        assertEquals("at-from-kubectl", withId.getStatus().jobName);
        assertEquals(adopted.taskId().toString(), job.getMetadata().getLabels().get("mainloop.io/task-id"));

        Kubectl json = kubectl(dir, kubeconfig, "get", "at", "from-kubectl", "-o", "jsonpath={.status.jobName}");
        assertEquals("at-from-kubectl", json.output().strip());
        Kubectl delete = kubectl(dir, kubeconfig, "delete", "at", "from-kubectl");
        assertEquals(0, delete.exit(), delete.output());
        await("the AgentTask gone", () -> get(applied) == null ? true : null);
    }

    record Kubectl(int exit, String output) {
    }

    static Kubectl kubectl(Path home, Path kubeconfig, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", home.resolve("cache").toString(), "--request-timeout=10s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kubectl finished");
        return new Kubectl(process.exitValue(), out);
    }

    private static boolean onPath(String name) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, name)));
    }

    private static void assertSecure(Container c) {
        var sc = c.getSecurityContext();
        assertTrue(sc.getRunAsNonRoot());
        assertFalse(sc.getAllowPrivilegeEscalation());
        assertTrue(sc.getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());
        Set<String> mounts = c.getVolumeMounts().stream().map(m -> m.getMountPath()).collect(Collectors.toSet());
        assertTrue(mounts.containsAll(Set.of("/workspace", "/home/agent", "/tmp")), "writable: " + mounts);
        assertTrue(Set.of("/workspace", "/home/agent", "/tmp", "/etc/mainloop/mcp").containsAll(mounts), "only these: " + mounts);
    }

    private AgentTask agentTask(String name, UUID taskId) {
        AgentTask task = new AgentTask();
        task.getMetadata().setName(name);
        task.getMetadata().setNamespace(ns());
        task.getMetadata().setLabels(Map.of(AgentTask.TASK_ID_LABEL, taskId.toString()));
        task.setSpec(new AgentTaskSpec());
        task.getSpec().title = "A task";
        task.getSpec().prompt = "Say hello.";
        return task;
    }

    private void setJobStatus(Job job, io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
        Job current = client.batch().v1().jobs().inNamespace(ns()).withName(job.getMetadata().getName()).get();
        current.setStatus(status);
        client.batch().v1().jobs().inNamespace(ns()).resource(current).updateStatus();
    }

    /** A pod of {@code job}, as the Job controller would create it (labelled with the Job's name). */
    private String podOf(Job job) {
        String name = job.getMetadata().getName() + "-x7k2p";
        client.pods().inNamespace(ns()).resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels(AgentTaskJobs.JOB_NAME_LABEL, job.getMetadata().getName()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec()).build()).create();
        return name;
    }

    private AgentTask awaitPhase(AgentTask task, String phase) {
        return await("phase " + phase, () -> {
            AgentTask at = get(task);
            return at != null && at.getStatus() != null && phase.equals(at.getStatus().phase) ? at : null;
        });
    }

    private static Condition condition(AgentTask task, String type) {
        return task.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + task.getStatus().conditions));
    }

    private AgentTask get(AgentTask task) {
        return client.resources(AgentTask.class).inNamespace(ns()).withName(task.getMetadata().getName()).get();
    }

    private Job job(AgentTask task) {
        return client.batch().v1().jobs().inNamespace(ns()).withName(AgentTaskJobs.jobName(task.getMetadata().getName())).get();
    }

    private List<Job> jobsOf(AgentTask task) {
        return client.batch().v1().jobs().inNamespace(ns()).list().getItems().stream()
                .filter(j -> j.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(task.getMetadata().getName())))
                .toList();
    }

    private String ns() {
        return client.getNamespace();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Polls {@code probe} until it gives a value (at most 20 s); the value. */
    public static <T> T await(String what, Supplier<T> probe) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50); // polling interval of the await, not a timing assumption
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
