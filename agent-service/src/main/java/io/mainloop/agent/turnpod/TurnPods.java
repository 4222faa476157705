package io.mainloop.agent.turnpod;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.config.TurnsConfig;
import io.mainloop.agent.operator.AgentTaskJobs;
import io.mainloop.agent.operator.KubernetesConfig;
import io.mainloop.agent.service.ClaudeCliCommand;
import io.mainloop.agent.service.Workspaces;
import io.mainloop.contracts.TurnRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The Kubernetes objects of a main-thread turn run in a pod of its own: the pod
 * {@code turn-<turnId>-<attempt>}, the Secret with its files (the turn as a stream-json user
 * message, MCP configuration with the thread's bearer token, settings), and the thread's workspace claim
 * {@code thread-<hash>} (workspace and the CLI's HOME, where the session lives that a later
 * attempt resumes). The pod runs as the sub-agents' service account with no API token, none of
 * agent-service's environment but the CLI's credentials (by reference to their Secret) and the
 * settings named by {@code mainloop.agent.pass-environment} that hold no secret; it is the
 * sandbox (non-root, read-only root file system, no capabilities, its own NetworkPolicy).
 * Field meanings: the Kubernetes API reference (core/v1 Pod, Secret, PersistentVolumeClaim).
 */
@ApplicationScoped
public class TurnPods {

    /** The CLI's container (named as in the sub-agent Jobs). */
    public static final String CONTAINER = AgentTaskJobs.CONTAINER;
    /** The label holding the turn id. */
    public static final String TURN_ID_LABEL = "mainloop.io/turn-id";
    /** The label holding the attempt (1, 2, ... after restarts of agent-service). */
    public static final String ATTEMPT_LABEL = "mainloop.io/attempt";
    /** The value of {@code app.kubernetes.io/name} of turn pods (NetworkPolicies select on it). */
    public static final String APP_NAME = "agent-turn";

    static final String TURN_DIR = "/turn";
    static final String WORKSPACE = AgentTaskJobs.WORKSPACE;
    static final String HOME = AgentTaskJobs.HOME;
    static final String INPUT = "input.jsonl";
    static final String MCP = "mcp.json";
    static final String SETTINGS = "settings.json";
    /** Credentials the CLI reads, taken from the credentials Secret by reference, never copied. */
    static final Set<String> CREDENTIALS = Set.of("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY");
    /** Seconds the pod's own deadline adds to the turn timeout (agent-service stops it at the timeout itself). */
    static final long DEADLINE_MARGIN_S = 60;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesConfig kubernetes;

    @Inject
    AgentConfig agent;

    @Inject
    TurnsConfig turns;

    @Inject
    AgentTaskJobs jobs;

    @Inject
    ClaudeCliCommand cli;

    /** Environment lookup (agent-service's own environment; replaced in tests). */
    Function<String, String> environment = System::getenv;

    /** The pod of attempt {@code attempt} of {@code turnId}. */
    public static String podName(UUID turnId, int attempt) {
        return "turn-" + turnId + "-" + attempt;
    }

    /** The claim holding {@code threadId}'s workspace and the CLI's home. */
    public static String claimName(String threadId) {
        return "thread-" + Workspaces.hash(threadId).substring(0, 24);
    }

    /** Why turns cannot run in pods here, or empty: the image is not configured. */
    public Optional<String> problem() {
        if (kubernetes.image().filter(i -> !i.isBlank()).isEmpty()) {
            return Optional.of("mainloop.agent.turns.mode=kubernetes needs mainloop.agent.kubernetes.image "
                    + "(the image with the claude CLI)");
        }
        if (jobs.profileOf(turns.profile()) == null) {
            return Optional.of("mainloop.agent.turns.profile names no profile: " + turns.profile());
        }
        return Optional.empty();
    }

    /**
     * The Secret with the files of an attempt: {@value #INPUT} (the CLI's stdin: the turn's context
     * and new message as one stream-json user message), {@value #SETTINGS} and, when
     * memory-service's MCP server is configured, {@value #MCP}.
     */
    public Secret files(TurnRequested turn, int attempt, boolean resume, String namespace) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(INPUT, ClaudeCliCommand.userMessage(turn, resume));
        data.put(SETTINGS, settings());
        mcpJson(turn.threadId()).ifPresent(json -> data.put(MCP, json));
        return new SecretBuilder()
                .withNewMetadata().withName(podName(turn.turnId(), attempt)).withNamespace(namespace)
                    .withLabels(labels(turn.turnId(), attempt)).endMetadata()
                .withType("Opaque")
                .withStringData(data)
                .build();
    }

    /** The thread's workspace claim ({@code mainloop.agent.kubernetes.workspace.*}); kept across turns. */
    public PersistentVolumeClaim claim(String threadId, String namespace) {
        KubernetesConfig.Workspace ws = kubernetes.workspace();
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(claimName(threadId)).withNamespace(namespace)
                    .withLabels(Map.of("app.kubernetes.io/name", "thread-workspace", "app.kubernetes.io/part-of", "mainloop",
                            "app.kubernetes.io/managed-by", "mainloop-agent-service"))
                .endMetadata()
                .withNewSpec()
                    .withAccessModes(ws.accessMode())
                    .withStorageClassName(ws.storageClass().filter(c -> !c.isBlank()).orElse(null))
                    .withNewResources().addToRequests("storage", new Quantity(ws.size())).endResources()
                .endSpec()
                .build();
    }

    /**
     * The pod of an attempt: {@code sh -c 'exec claude -p "$@" < /turn/input.jsonl'} with the turn's
     * flags, in {@value #WORKSPACE}, restartPolicy Never, {@code activeDeadlineSeconds} the turn
     * timeout plus a minute.
     */
    public Pod pod(TurnRequested turn, int attempt, UUID sessionId, boolean resume, String namespace) {
        boolean mcp = mcpJson(turn.threadId()).isPresent();
        List<String> mcpFlags = mcp ? List.of("--strict-mcp-config", "--mcp-config", TURN_DIR + "/" + MCP)
                : List.of("--strict-mcp-config");
        List<String> flags = cli.turnFlags(turn, sessionId, resume, "", settings(), mcpFlags);
        List<String> args = new ArrayList<>(List.of("-c", "exec claude -p \"$@\" < " + TURN_DIR + "/" + INPUT, "claude"));
        flags.forEach(f -> args.add(AgentTaskJobs.escapeExpansion(f)));
        KubernetesConfig.Profile profile = jobs.profileOf(turns.profile());
        Map<String, String> labels = labels(turn.turnId(), attempt);
        long uid = kubernetes.runAsUser();
        return new PodBuilder()
                .withNewMetadata().withName(podName(turn.turnId(), attempt)).withNamespace(namespace)
                    .withLabels(labels).endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .withActiveDeadlineSeconds(agent.turnTimeout().toSeconds() + DEADLINE_MARGIN_S)
                    .withServiceAccountName(kubernetes.serviceAccount())
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withNewSecurityContext()
                        .withRunAsNonRoot(true).withRunAsUser(uid).withRunAsGroup(uid).withFsGroup(uid)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .withContainers(new ContainerBuilder()
                            .withName(CONTAINER)
                            .withImage(kubernetes.image().orElseThrow())
                            .withImagePullPolicy(kubernetes.imagePullPolicy())
                            .withCommand("sh")
                            .withArgs(args)
                            .withWorkingDir(WORKSPACE)
                            .withEnv(env())
                            .withVolumeMounts(
                                    new VolumeMountBuilder().withName(AgentTaskJobs.WORK_VOLUME)
                                            .withSubPath(AgentTaskJobs.WORKSPACE_SUBPATH).withMountPath(WORKSPACE).build(),
                                    new VolumeMountBuilder().withName(AgentTaskJobs.WORK_VOLUME)
                                            .withSubPath(AgentTaskJobs.HOME_SUBPATH).withMountPath(HOME).build(),
                                    new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
                                    new VolumeMountBuilder().withName("turn").withMountPath(TURN_DIR).withReadOnly(true).build())
                            .withResources(AgentTaskJobs.resources(profile))
                            .withSecurityContext(AgentTaskJobs.containerSecurity())
                            .build())
                    .addNewVolume().withName(AgentTaskJobs.WORK_VOLUME).withNewPersistentVolumeClaim()
                        .withClaimName(claimName(turn.threadId())).endPersistentVolumeClaim().endVolume()
                    .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                    .addNewVolume().withName("turn").withNewSecret().withSecretName(podName(turn.turnId(), attempt))
                        .withDefaultMode(0400).endSecret().endVolume()
                .endSpec()
                .build();
    }

    /**
     * The CLI's environment in the pod: its home and temp dir, no auto-update or telemetry, the
     * credentials by reference to {@code mainloop.agent.kubernetes.credentials-secret}, and the
     * values of {@code pass-environment} and {@code cli-environment} whose names do not look like a
     * secret ({@code KEY}, {@code TOKEN}, {@code SECRET}, {@code PASSWORD}): those would be readable by anyone who can read pods.
     */
    List<EnvVar> env() {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("HOME", HOME);
        plain.put("TMPDIR", "/tmp");
        plain.put("CLAUDE_CODE_TMPDIR", "/tmp");
        plain.put("DISABLE_AUTOUPDATER", "1");
        plain.put("DISABLE_TELEMETRY", "1");
        plain.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        plain.put("CLAUDE_CODE_DISABLE_AUTO_MEMORY", "1"); // mainloop's memory is the assistant's
        for (String name : agent.passEnvironment()) {
            String value = environment.apply(name);
            if (value != null && !value.isEmpty() && !name.equals("PATH") && !secretLooking(name)) {
                plain.putIfAbsent(name, value);
            }
        }
        agent.cliEnvironment().forEach((name, value) -> {
            if (!secretLooking(name) && !value.isEmpty()) {
                plain.put(name, value);
            }
        });
        List<EnvVar> env = new ArrayList<>();
        plain.forEach((name, value) -> env.add(new EnvVarBuilder().withName(name)
                .withValue(AgentTaskJobs.escapeExpansion(value)).build()));
        CREDENTIALS.stream().sorted().forEach(key -> env.add(jobs.secretEnv(key)));
        return env;
    }

    static boolean secretLooking(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return CREDENTIALS.contains(upper) || upper.contains("KEY") || upper.contains("TOKEN") || upper.contains("SECRET")
                || upper.contains("PASSWORD");
    }

    /** The pods' settings: hooks off, Claude Code's sandbox off (bubblewrap cannot run in a pod; the pod is the sandbox). */
    static String settings() {
        ObjectNode settings = JSON.createObjectNode();
        settings.put("disableAllHooks", true);
        settings.putObject("sandbox").put("enabled", false);
        return settings.toString();
    }

    /**
     * The MCP configuration of the thread's turn, as pods reach the servers: memory-service's and
     * scheduler-service's URLs, and agent-service's tasks server at
     * {@code mainloop.agent.kubernetes.mcp-url}; empty without memory-service's URL or the secret.
     */
    Optional<String> mcpJson(String threadId) {
        Optional<String> url = agent.memoryMcp().url().filter(u -> !u.isBlank());
        Optional<String> secret = agent.memoryMcp().secret().filter(v -> !v.isBlank());
        if (url.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> servers = new java.util.HashMap<>();
        servers.put("memory", url.get());
        agent.schedulerMcp().url().filter(u -> !u.isBlank()).ifPresent(u -> servers.put("scheduler", u));
        if (agent.tasks().enabled()) {
            kubernetes.mcpUrl().filter(u -> !u.isBlank()).ifPresent(u -> servers.put("tasks", u));
        }
        return Optional.of(ClaudeCliCommand.mcpConfigJson(servers, secret.get(), threadId));
    }

    static Map<String, String> labels(UUID turnId, int attempt) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", APP_NAME);
        labels.put("app.kubernetes.io/component", "main-thread-turn");
        labels.put("app.kubernetes.io/part-of", "mainloop");
        labels.put("app.kubernetes.io/managed-by", "mainloop-agent-service");
        labels.put(TURN_ID_LABEL, turnId.toString());
        labels.put(ATTEMPT_LABEL, Integer.toString(attempt));
        return labels;
    }
}
