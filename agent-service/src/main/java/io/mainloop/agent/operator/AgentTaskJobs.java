package io.mainloop.agent.operator;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mainloop.agent.task.SubAgentInstructions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one Job of an AgentTask: its deterministic name, its spec (built here from the AgentTask
 * and {@link KubernetesConfig}) and its create-only creation. Field meanings follow the Kubernetes
 * API reference for Job (batch/v1: {@code backoffLimit}, {@code activeDeadlineSeconds},
 * {@code ttlSecondsAfterFinished}, {@code podFailurePolicy}) and the "Configure a Security Context
 * for a Pod or Container" task page.
 */
@ApplicationScoped
public class AgentTaskJobs {

    /** The CLI's container in the pod. */
    public static final String CONTAINER = "claude";
    /** The init container that clones the repository. */
    public static final String CLONE_CONTAINER = "clone";
    /** The label Kubernetes sets on a Job's pods (the Job's name). */
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    /** The environment variable holding the prompt; {@code $(...)} in it is escaped, so it reaches the CLI verbatim. */
    public static final String PROMPT_ENV = "MAINLOOP_TASK_PROMPT";

    /** The key of the MCP configuration in its Secret. */
    public static final String MCP_KEY = "mcp.json";

    /** The volume of the workspace claim, and its sub-paths for the workspace and the CLI's home. */
    public static final String WORK_VOLUME = "work";
    public static final String WORKSPACE_SUBPATH = "workspace";
    public static final String HOME_SUBPATH = "home";
    /** Where the CLI's container mounts its workspace (its working directory) and its home. */
    public static final String WORKSPACE = "/workspace";
    public static final String HOME = "/home/agent";
    static final int MAX_PROMPT_BYTES = 32 * 1024;
    static final Map<String, KubernetesConfig.Profile> BUILT_IN_PROFILES = Map.of(
            "small", profile("250m", "512Mi"), "medium", profile("1", "2Gi"), "large", profile("2", "4Gi"));

    /** Where the MCP configuration Secret is mounted in the CLI's container. */
    static final String MCP_DIR = "/etc/mainloop/mcp";
    /** The environment variable holding the sub-agent instructions ({@code --append-system-prompt}). */
    static final String INSTRUCTIONS_ENV = "MAINLOOP_TASK_INSTRUCTIONS";

    @Inject
    KubernetesConfig config;

    @Inject
    io.mainloop.agent.config.AgentConfig agentConfig;

    /**
     * The Job's name: {@code at-<AgentTask name>}, or, if that exceeds 63 characters (a Job name
     * becomes its pods' {@code job-name} label value), its first 52 characters and a hash.
     */
    public static String jobName(String agentTaskName) {
        return jobName(agentTaskName, 0);
    }

    /**
     * The Job of run {@code run} (0: the first; n: the one resumed with the n-th answer):
     * {@link #jobName(String)}, with {@code -r<n>} before the length limit for n > 0.
     */
    public static String jobName(String agentTaskName, int run) {
        String name = "at-" + agentTaskName + (run > 0 ? "-r" + run : "");
        if (name.length() <= 63) {
            return name;
        }
        String hash = sha256(agentTaskName + "/" + run).substring(0, 10);
        String head = name.substring(0, 52).replaceAll("[-.]+$", "");
        return head + "-" + hash;
    }

    /** The PersistentVolumeClaim (workspace and the CLI's home) of an AgentTask: named like its first Job. */
    public static String claimName(String agentTaskName) {
        return jobName(agentTaskName, 0);
    }

    /** The Secret holding an AgentTask's MCP configuration (its bearer token). */
    public static String mcpSecretName(String agentTaskName) {
        return jobName(agentTaskName, 0) + "-mcp";
    }

    /**
     * Why {@code spec} cannot run, or null when it can: a missing prompt, a prompt over 32 KiB,
     * an unknown profile, a repository URL that is not https, a workdir leaving the workspace,
     * or a limit below 1 (a budget below 0).
     */
    public String problem(AgentTaskSpec spec) {
        if (spec == null || spec.prompt == null || spec.prompt.isBlank()) {
            return "spec.prompt is required";
        }
        if (spec.prompt.getBytes(StandardCharsets.UTF_8).length > MAX_PROMPT_BYTES) {
            return "spec.prompt is longer than 32 KiB";
        }
        if (spec.profile != null && profileOf(spec.profile) == null) {
            return "spec.profile must be one of " + String.join(", ", profileNames()) + ", not " + spec.profile;
        }
        if (spec.repository != null) {
            String url = spec.repository.url;
            if (url == null || !url.startsWith("https://") || URI.create(url).getHost() == null) {
                return "spec.repository.url must be an https URL";
            }
            if (spec.repository.branch != null && !spec.repository.branch.matches("[A-Za-z0-9._/-]+")) {
                return "spec.repository.branch has characters a branch name cannot have";
            }
        }
        if (spec.workdir != null && (spec.workdir.startsWith("/") || List.of(spec.workdir.split("/")).contains(".."))) {
            return "spec.workdir must be a relative path inside the workspace";
        }
        if (spec.maxTurns != null && spec.maxTurns < 1) {
            return "spec.maxTurns must be at least 1";
        }
        if (spec.deadlineSeconds != null && spec.deadlineSeconds < 1) {
            return "spec.deadlineSeconds must be at least 1";
        }
        if (spec.maxBudgetUsd != null && spec.maxBudgetUsd.signum() < 0) {
            return "spec.maxBudgetUsd must not be negative";
        }
        return null;
    }

    /** The profile named {@code name}: configured, else built in; null if unknown. */
    public KubernetesConfig.Profile profileOf(String name) {
        KubernetesConfig.Profile configured = config.profiles().get(name);
        return configured != null ? configured : BUILT_IN_PROFILES.get(name);
    }

    private List<String> profileNames() {
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(BUILT_IN_PROFILES.keySet()));
        config.profiles().keySet().stream().filter(n -> !names.contains(n)).sorted().forEach(names::add);
        return names;
    }

    /**
     * The Job that runs {@code task} (whose spec passed {@link #problem}), owned by it through an
     * ownerReference with {@code controller: true}, so deleting the AgentTask deletes the Job.
     *
     * <p>Run 0 starts the CLI with {@code --session-id <AgentTask uid>}; run n resumes that session
     * ({@code --resume}) with the n-th answer as its prompt. Every run mounts the AgentTask's
     * PersistentVolumeClaim ({@link #claim}: workspace and home, so the transcript and the work
     * survive between runs) and, when the task may call mainloop's MCP tools, its Secret ({@link #mcpSecret}).
     *
     * @param taskId the mainloop task id (label {@code mainloop.io/task-id}), or null
     * @param run the run: 0, or the number of answers it resumes with
     */
    public Job desired(AgentTask task, String taskId, int run) {
        AgentTaskSpec spec = task.getSpec();
        KubernetesConfig.Defaults defaults = config.defaults();
        String name = jobName(task.getMetadata().getName(), run);
        String profileName = spec.profile != null ? spec.profile : defaults.profile();
        KubernetesConfig.Profile profile = profileOf(profileName);
        String model = spec.model != null && !spec.model.isBlank() ? spec.model : defaults.model().orElse(null);
        int maxTurns = spec.maxTurns != null ? spec.maxTurns : defaults.maxTurns();
        long deadline = spec.deadlineSeconds != null ? spec.deadlineSeconds : defaults.deadline().toSeconds();
        BigDecimal budget = spec.maxBudgetUsd != null ? spec.maxBudgetUsd : defaults.maxBudgetUsd();

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "agent-task");
        labels.put("app.kubernetes.io/instance", name);
        labels.put("app.kubernetes.io/component", "sub-agent");
        labels.put("app.kubernetes.io/part-of", "mainloop");
        labels.put("app.kubernetes.io/managed-by", "mainloop-agent-service");
        if (taskId != null) {
            labels.put(AgentTask.TASK_ID_LABEL, taskId);
        }
        labels.put(AgentTask.RUN_LABEL, Integer.toString(run));

        String session = task.getMetadata().getUid();
        String prompt = run == 0 ? spec.prompt : SubAgentInstructions.answered(spec.answers.get(run - 1));
        List<String> args = new ArrayList<>(List.of("-p", "$(" + PROMPT_ENV + ")",
                "--output-format", "stream-json", "--verbose",
                run == 0 ? "--session-id" : "--resume", session,
                "--append-system-prompt", "$(" + INSTRUCTIONS_ENV + ")"));
        if (model != null) {
            args.addAll(List.of("--model", model));
        }
        args.addAll(List.of("--max-turns", Integer.toString(maxTurns),
                "--max-budget-usd", budget.toPlainString(),
                "--permission-mode", "bypassPermissions"));
        boolean mcp = mcpConfigured() && taskId != null;
        args.add("--strict-mcp-config");
        if (mcp) {
            args.addAll(List.of("--mcp-config", MCP_DIR + "/" + MCP_KEY));
        }

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(PROMPT_ENV).withValue(escapeExpansion(prompt)).build());
        env.add(new EnvVarBuilder().withName(INSTRUCTIONS_ENV).withValue(escapeExpansion(SubAgentInstructions.TEXT)).build());
        env.add(new EnvVarBuilder().withName("HOME").withValue(HOME).build());
        env.add(new EnvVarBuilder().withName("TMPDIR").withValue("/tmp").build());
        env.add(new EnvVarBuilder().withName("DISABLE_AUTOUPDATER").withValue("1").build());
        for (String key : List.of("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "GH_TOKEN")) {
            env.add(secretEnv(key));
        }
        List<VolumeMount> mounts = new ArrayList<>(List.of(subPathMount(WORKSPACE_SUBPATH, WORKSPACE),
                subPathMount(HOME_SUBPATH, HOME), mount("tmp", "/tmp")));
        List<VolumeMount> cliMounts = new ArrayList<>(mounts);
        if (mcp) {
            cliMounts.add(new VolumeMountBuilder().withName("mcp").withMountPath(MCP_DIR).withReadOnly(true).build());
        }
        String workingDir = spec.workdir == null || spec.workdir.isBlank()
                ? WORKSPACE : WORKSPACE + "/" + spec.workdir.replaceAll("^\\./", "").replaceAll("/+$", "");

        ContainerBuilder cli = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(config.image().orElseThrow(() -> new IllegalStateException(
                        "mainloop.agent.kubernetes.image is not set")))
                .withImagePullPolicy(config.imagePullPolicy())
                .withCommand("claude")
                .withArgs(args)
                .withWorkingDir(workingDir)
                .withEnv(env)
                .withVolumeMounts(cliMounts)
                .withResources(resources(profile))
                .withSecurityContext(containerSecurity());

        JobBuilder job = new JobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(task.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withOwnerReferences(owner(task))
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(config.backoffLimit())
                    .withActiveDeadlineSeconds(deadline)
                    .withTtlSecondsAfterFinished((int) config.jobTtlAfterFinished().toSeconds())
                    .withNewPodFailurePolicy()
                        // a node drained or a pod preempted is not the task's failure: retried, not counted
                        .addNewRule().withAction("Ignore")
                            .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                        .endRule()
                        // the CLI itself failed: retrying would spend the budget again
                        .addNewRule().withAction("FailJob")
                            .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("NotIn").withValues(0)
                            .endOnExitCodes()
                        .endRule()
                    .endPodFailurePolicy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(config.serviceAccount())
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(config.runAsUser())
                                .withRunAsGroup(config.runAsUser())
                                .withFsGroup(config.runAsUser())
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withContainers(cli.build())
                            .addNewVolume().withName(WORK_VOLUME).withNewPersistentVolumeClaim()
                                .withClaimName(claimName(task.getMetadata().getName())).endPersistentVolumeClaim().endVolume()
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec();
        Job built = job.build();
        if (mcp) {
            built.getSpec().getTemplate().getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder()
                    .withName("mcp").withNewSecret().withSecretName(mcpSecretName(task.getMetadata().getName()))
                    .withDefaultMode(0400).endSecret().build());
        }
        if (spec.repository != null && run == 0) {
            built.getSpec().getTemplate().getSpec().setInitContainers(List.of(clone(spec.repository, mounts, profile)));
        }
        return built;
    }

    /** Whether sub-agents get mainloop's MCP tools: the MCP URL for pods and the MCP secret are set. */
    public boolean mcpConfigured() {
        return config.mcpUrl().filter(u -> !u.isBlank()).isPresent()
                && agentConfig.memoryMcp().secret().filter(s -> !s.isBlank()).isPresent();
    }

    /**
     * The AgentTask's PersistentVolumeClaim ({@link KubernetesConfig.Workspace}), owned by it: the
     * workspace and the CLI's home of all its runs.
     */
    public PersistentVolumeClaim claim(AgentTask task) {
        KubernetesConfig.Workspace ws = config.workspace();
        return new PersistentVolumeClaimBuilder()
                .withMetadata(ownedMetadata(task, claimName(task.getMetadata().getName())))
                .withNewSpec()
                    .withAccessModes(ws.accessMode())
                    .withStorageClassName(ws.storageClass().filter(c -> !c.isBlank()).orElse(null))
                    .withNewResources().addToRequests("storage", new Quantity(ws.size())).endResources()
                .endSpec()
                .build();
    }

    /**
     * The Secret with the task's MCP configuration ({@value #MCP_KEY}): agent-service's tasks
     * server at {@code mainloop.agent.kubernetes.mcp-url}, called as {@code task:<taskId>} with that
     * caller's bearer token. Owned by the AgentTask.
     */
    public Secret mcpSecret(AgentTask task, String taskId) {
        String json = io.mainloop.agent.service.ClaudeCliCommand.mcpConfigJson(
                Map.of("tasks", config.mcpUrl().orElseThrow()), agentConfig.memoryMcp().secret().orElseThrow(),
                io.mainloop.agent.mcp.McpCaller.TASK_PREFIX + taskId);
        return new SecretBuilder()
                .withMetadata(ownedMetadata(task, mcpSecretName(task.getMetadata().getName())))
                .withType("Opaque")
                .withStringData(Map.of(MCP_KEY, json))
                .build();
    }

    /** Creates {@code resource} unless one of its kind and name exists (HTTP 409); never updates one. */
    public <T extends HasMetadata> void createIfAbsent(KubernetesClient client, T resource) {
        try {
            client.resource(resource).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    private static ObjectMeta ownedMetadata(AgentTask task, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(task.getMetadata().getNamespace())
                .withLabels(Map.of("app.kubernetes.io/name", "agent-task", "app.kubernetes.io/instance", jobName(task.getMetadata().getName()),
                        "app.kubernetes.io/part-of", "mainloop", "app.kubernetes.io/managed-by", "mainloop-agent-service"))
                .withOwnerReferences(owner(task))
                .build();
    }

    private static io.fabric8.kubernetes.api.model.OwnerReference owner(AgentTask task) {
        return new OwnerReferenceBuilder()
                .withApiVersion(task.getApiVersion())
                .withKind(task.getKind())
                .withName(task.getMetadata().getName())
                .withUid(task.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /**
     * Creates {@code desired} unless a Job of that name exists; never updates one. A create that
     * loses a race (HTTP 409 Conflict: another reconcile or replica created it first) returns the
     * existing Job.
     */
    public Job createIfAbsent(KubernetesClient client, Job desired) {
        var jobs = client.batch().v1().jobs().inNamespace(desired.getMetadata().getNamespace());
        try {
            return jobs.resource(desired).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            Job existing = jobs.withName(desired.getMetadata().getName()).get();
            if (existing == null) {
                throw e;
            }
            return existing;
        }
    }

    private io.fabric8.kubernetes.api.model.Container clone(AgentTaskSpec.Repository repository, List<VolumeMount> mounts,
                                                            KubernetesConfig.Profile profile) {
        // idempotent: a pod retried after the clone (or a later run) finds the repository there
        String script = "[ -e \"$1/.git\" ] || exec git"
                // a private repository: GH_TOKEN (if the Secret has it) as the password; read from the environment by git
                + " -c 'credential.helper=!f() { echo username=x-access-token; echo \"password=${GH_TOKEN}\"; }; f'"
                + " clone --depth 1 --single-branch ${GIT_BRANCH:+--branch \"$GIT_BRANCH\"} -- \"$2\" \"$1\"";
        List<String> command = List.of("sh", "-c", script, "clone", WORKSPACE, escapeExpansion(repository.url));
        List<EnvVar> env = new ArrayList<>(List.of(new EnvVarBuilder().withName("HOME").withValue(HOME).build(),
                secretEnv("GH_TOKEN")));
        if (repository.branch != null && !repository.branch.isBlank()) {
            env.add(new EnvVarBuilder().withName("GIT_BRANCH").withValue(escapeExpansion(repository.branch)).build());
        }
        return new ContainerBuilder()
                .withName(CLONE_CONTAINER)
                .withImage(config.gitImage())
                .withImagePullPolicy(config.imagePullPolicy())
                .withCommand(command)
                .withEnv(env)
                .withVolumeMounts(mounts)
                .withResources(resources(profile))
                .withSecurityContext(containerSecurity())
                .build();
    }

    /** The variable {@code key} from the credentials Secret's key of that name, if it has one (optional: a missing key is no error). */
    public EnvVar secretEnv(String key) {
        return new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
                .withName(config.credentialsSecret()).withKey(key).withOptional(true)
                .endSecretKeyRef().endValueFrom().build();
    }

    /** A container's hardened securityContext: non-root, no privilege escalation, read-only root, no capabilities, RuntimeDefault seccomp. */
    public static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** Requests equal to limits, from {@code profile}. */
    public static ResourceRequirements resources(KubernetesConfig.Profile profile) {
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity(profile.cpu()), "memory", new Quantity(profile.memory()));
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build();
    }

    private static VolumeMount subPathMount(String subPath, String path) {
        return new VolumeMountBuilder().withName(WORK_VOLUME).withSubPath(subPath).withMountPath(path).build();
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }

    /**
     * {@code text} with every {@code $} doubled: Kubernetes expands {@code $(VAR)} in env values
     * and args and reduces {@code $$} to {@code $} (API reference, Container {@code env.value}).
     */
    public static String escapeExpansion(String text) {
        return text.replace("$", "$$");
    }

    private static KubernetesConfig.Profile profile(String cpu, String memory) {
        return new KubernetesConfig.Profile() {
            @Override
            public String cpu() {
                return cpu;
            }

            @Override
            public String memory() {
                return memory;
            }
        };
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
