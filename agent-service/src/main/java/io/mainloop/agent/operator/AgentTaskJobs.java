package io.mainloop.agent.operator;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

    static final String WORKSPACE = "/workspace";
    static final String HOME = "/home/agent";
    static final int MAX_PROMPT_BYTES = 32 * 1024;
    static final Map<String, KubernetesConfig.Profile> BUILT_IN_PROFILES = Map.of(
            "small", profile("250m", "512Mi"), "medium", profile("1", "2Gi"), "large", profile("2", "4Gi"));

    @Inject
    KubernetesConfig config;

    /**
     * The Job's name: {@code at-<AgentTask name>}, or, if that exceeds 63 characters (a Job name
     * becomes its pods' {@code job-name} label value), its first 52 characters and a hash.
     */
    public static String jobName(String agentTaskName) {
        String name = "at-" + agentTaskName;
        if (name.length() <= 63) {
            return name;
        }
        String hash = sha256(agentTaskName).substring(0, 10);
        String head = name.substring(0, 52).replaceAll("[-.]+$", "");
        return head + "-" + hash;
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
    KubernetesConfig.Profile profileOf(String name) {
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
     * @param taskId the mainloop task id (label {@code mainloop.io/task-id}), or null
     */
    public Job desired(AgentTask task, String taskId) {
        AgentTaskSpec spec = task.getSpec();
        KubernetesConfig.Defaults defaults = config.defaults();
        String name = jobName(task.getMetadata().getName());
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

        List<String> args = new ArrayList<>(List.of("-p", "$(" + PROMPT_ENV + ")",
                "--output-format", "stream-json", "--verbose"));
        if (model != null) {
            args.addAll(List.of("--model", model));
        }
        args.addAll(List.of("--max-turns", Integer.toString(maxTurns),
                "--max-budget-usd", budget.toPlainString(),
                "--permission-mode", "bypassPermissions"));

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(PROMPT_ENV).withValue(escapeExpansion(spec.prompt)).build());
        env.add(new EnvVarBuilder().withName("HOME").withValue(HOME).build());
        env.add(new EnvVarBuilder().withName("TMPDIR").withValue("/tmp").build());
        env.add(new EnvVarBuilder().withName("DISABLE_AUTOUPDATER").withValue("1").build());
        for (String key : List.of("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "GH_TOKEN")) {
            env.add(secretEnv(key));
        }
        List<VolumeMount> mounts = List.of(mount("workspace", WORKSPACE), mount("home", HOME), mount("tmp", "/tmp"));
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
                .withVolumeMounts(mounts)
                .withResources(resources(profile))
                .withSecurityContext(containerSecurity());

        JobBuilder job = new JobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(task.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(task.getApiVersion())
                            .withKind(task.getKind())
                            .withName(task.getMetadata().getName())
                            .withUid(task.getMetadata().getUid())
                            .withController(true)
                            .withBlockOwnerDeletion(true)
                            .build())
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
                            .addNewVolume().withName("workspace").withNewEmptyDir().endEmptyDir().endVolume()
                            .addNewVolume().withName("home").withNewEmptyDir().endEmptyDir().endVolume()
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec();
        Job built = job.build();
        if (spec.repository != null) {
            built.getSpec().getTemplate().getSpec().setInitContainers(List.of(clone(spec.repository, mounts, profile)));
        }
        return built;
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
        List<String> command = new ArrayList<>(List.of("git",
                // a private repository: GH_TOKEN (if the Secret has it) as the password; read from the environment by git
                "-c", "credential.helper=!f() { echo username=x-access-token; echo \"password=${GH_TOKEN}\"; }; f",
                "clone", "--depth", "1", "--single-branch"));
        if (repository.branch != null && !repository.branch.isBlank()) {
            command.addAll(List.of("--branch", repository.branch));
        }
        command.addAll(List.of("--", repository.url, WORKSPACE));
        return new ContainerBuilder()
                .withName(CLONE_CONTAINER)
                .withImage(config.gitImage())
                .withImagePullPolicy(config.imagePullPolicy())
                .withCommand(command)
                .withEnv(new EnvVarBuilder().withName("HOME").withValue(HOME).build(), secretEnv("GH_TOKEN"))
                .withVolumeMounts(mounts)
                .withResources(resources(profile))
                .withSecurityContext(containerSecurity())
                .build();
    }

    private EnvVar secretEnv(String key) {
        return new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
                .withName(config.credentialsSecret()).withKey(key).withOptional(true)
                .endSecretKeyRef().endValueFrom().build();
    }

    private static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    private static ResourceRequirements resources(KubernetesConfig.Profile profile) {
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity(profile.cpu()), "memory", new Quantity(profile.memory()));
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build();
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }

    /**
     * {@code text} with every {@code $} doubled: Kubernetes expands {@code $(VAR)} in env values
     * and args and reduces {@code $$} to {@code $} (API reference, Container {@code env.value}).
     */
    static String escapeExpansion(String text) {
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
