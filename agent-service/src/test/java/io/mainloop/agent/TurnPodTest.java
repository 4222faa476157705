package io.mainloop.agent;

import static io.mainloop.agent.AgentEvents.only;
import static io.mainloop.agent.AgentEvents.send;
import static io.mainloop.agent.AgentEvents.turn;
import static io.mainloop.agent.AgentEvents.untilEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mainloop.agent.operator.AgentTaskOperatorTest;
import io.mainloop.agent.operator.KubernetesModeProfile;
import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.agent.operator.MockCluster;
import io.mainloop.agent.turnpod.TurnPods;
import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.support.mcp.McpTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Main-thread turns in Kubernetes turn mode ({@code mainloop.agent.turns.mode=kubernetes}) against
 * the fabric8 mock API server (CRUD mode: no kubelet runs there, so the test plays it, setting the
 * pod's status and serving its log): each turn runs in a pod of its own that holds none of
 * agent-service's credentials, its stream-json reaches the thread from the pod's log, a cancel
 * deletes the pod, a failing CLI's error and a pod that cannot start are told to the owner, the
 * turn's pod and Secret are gone once it ended, and after a restart of agent-service a running pod
 * is followed again while one that died mid-turn is resumed in a new pod.
 */
@QuarkusTest
@TestProfile(KubernetesModeProfile.class)
@WithKubernetesTestServer(crud = true, setup = MockCluster.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class TurnPodTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    TurnRepository turns;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    TopicProbe kafka;
    String thread;

    @BeforeEach
    void probe() {
        kafka = new TopicProbe(bootstrap);
        thread = "pod-thread-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aTurnRunsInAPodOfItsOwnWithoutTheServicesCredentialsAndStreamsFromItsLog() throws Exception {
        TurnRequested turn = turn(thread, "What is on my list? $(HOME) stays text");
        send(kafka, turn, thread);
        String name = TurnPods.podName(turn.turnId(), 1);
        Pod pod = AgentTaskOperatorTest.await("the turn's pod", () -> client.pods().inNamespace(ns()).withName(name).get());

        // the pod is the sandbox: no API token, the sub-agents' account, hardened, its own claim and files
        var spec = pod.getSpec();
        assertEquals("mainloop-agent-task", spec.getServiceAccountName());
        assertFalse(spec.getAutomountServiceAccountToken());
        assertFalse(spec.getEnableServiceLinks());
        assertEquals("Never", spec.getRestartPolicy());
        assertTrue(spec.getSecurityContext().getRunAsNonRoot());
        Container cli = spec.getContainers().getFirst();
        assertEquals("registry.example/mainloop/agent-task:1.0", cli.getImage());
        assertTrue(cli.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(cli.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), cli.getSecurityContext().getCapabilities().getDrop());
        assertEquals(List.of("sh"), cli.getCommand());
        assertEquals("exec claude -p \"$@\" < /turn/input.jsonl", cli.getArgs().get(1));
        List<String> flags = cli.getArgs().subList(3, cli.getArgs().size());
        assertEquals(turn.turnId().toString().length(), flags.get(flags.indexOf("--session-id") + 1).length());
        assertEquals("/turn/mcp.json", flags.get(flags.indexOf("--mcp-config") + 1));
        assertEquals("stream-json", flags.get(flags.indexOf("--input-format") + 1), "the turn comes on stdin as a user message");
        Map<String, Volume> volumes = spec.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        assertEquals(TurnPods.claimName(thread), volumes.get("work").getPersistentVolumeClaim().getClaimName());
        assertEquals(name, volumes.get("turn").getSecret().getSecretName());
        assertNotNull(client.persistentVolumeClaims().inNamespace(ns()).withName(TurnPods.claimName(thread)).get(),
                "the thread's workspace claim");

        // credentials by reference only; nothing of agent-service's own settings
        for (EnvVar env : cli.getEnv()) {
            if (env.getValueFrom() != null) {
                assertEquals("mainloop-agent-credentials", env.getValueFrom().getSecretKeyRef().getName(), env.getName());
                assertTrue(env.getValueFrom().getSecretKeyRef().getOptional());
            } else {
                assertFalse(env.getName().startsWith("MAINLOOP_") || env.getName().startsWith("QUARKUS_")
                        || env.getName().startsWith("KAFKA") || env.getName().contains("KEY") || env.getName().contains("TOKEN"),
                        env.getName() + " must not reach the assistant's pod");
                assertFalse(env.getValue().contains(KubernetesModeProfile.MCP_SECRET), env.getName());
            }
        }
        Set<String> byReference = cli.getEnv().stream().filter(e -> e.getValueFrom() != null).map(EnvVar::getName)
                .collect(Collectors.toSet());
        assertEquals(Set.of("ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"), byReference);
        assertFalse(pod.toString().contains(KubernetesModeProfile.MCP_SECRET), "the MCP secret is not in the pod");

        // its files: the context and the prompt verbatim in one user message, the thread's own MCP token, settings without hooks
        Secret files = client.secrets().inNamespace(ns()).withName(name).get();
        JsonNode input = JSON.readTree(file(files, "input.jsonl"));
        assertEquals("user", input.path("type").asText());
        String content = input.path("message").path("content").asText();
        assertTrue(content.startsWith("<context>\nYou are mainloop.") && content.endsWith("</context>\n\nWhat is on my list? $(HOME) stays text"),
                content);
        JsonNode memory = JSON.readTree(file(files, "mcp.json")).path("mcpServers").path("memory");
        assertEquals(KubernetesModeProfile.MEMORY_MCP_URL, memory.path("url").asText());
        assertEquals("Bearer " + McpTokens.token(KubernetesModeProfile.MCP_SECRET, thread),
                memory.path("headers").path("Authorization").asText());
        assertTrue(JSON.readTree(file(files, "settings.json")).path("disableAllHooks").asBoolean());

        // the kubelet runs it: the CLI's stream-json in the pod's log reaches the thread
        serveLog(name, """
                {"type":"system","subtype":"init","session_id":"s1"}
                {"type":"stream_event","parent_tool_use_id":null,"event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Milk and "}}}
                {"type":"stream_event","parent_tool_use_id":null,"event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"eggs."}}}
                {"type":"result","subtype":"success","is_error":false,"result":"Milk and eggs.","num_turns":1,"duration_ms":900,"total_cost_usd":0.01,"usage":{"input_tokens":100,"output_tokens":5,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
                """);
        setStatus(name, "Succeeded", 0);
        List<AgentEvent> events = untilEnd(kafka, turn.turnId());
        assertInstanceOf(AgentEvent.TurnStarted.class, events.getFirst());
        assertEquals("Milk and eggs.", only(events, AgentEvent.TextDelta.class).stream().map(AgentEvent.TextDelta::text)
                .collect(Collectors.joining()));
        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast());
        assertEquals("Milk and eggs.", done.text());

        AgentTaskOperatorTest.await("the pod and its Secret deleted", () -> client.pods().inNamespace(ns()).withName(name).get() == null
                && client.secrets().inNamespace(ns()).withName(name).get() == null ? true : null);
        assertNotNull(client.persistentVolumeClaims().inNamespace(ns()).withName(TurnPods.claimName(thread)).get(),
                "the workspace stays for the thread's next turn");
    }

    @Test
    void aCancelDeletesTheTurnsPod() {
        TurnRequested turn = turn(thread, "Count to a million.");
        send(kafka, turn, thread);
        String name = TurnPods.podName(turn.turnId(), 1);
        AgentTaskOperatorTest.await("the turn's pod", () -> client.pods().inNamespace(ns()).withName(name).get());
        send(kafka, AgentCommand.CancelTurn.of(thread, turn.turnId()), thread);

        AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class, untilEnd(kafka, turn.turnId()).getLast());
        assertEquals(AgentEvent.FailureReason.CANCELLED, failed.reason());
        assertNull(client.pods().inNamespace(ns()).withName(name).get(), "the pod is deleted");
    }

    @Test
    void aFailingCliTellsTheOwnerWhy() {
        TurnRequested turn = turn(thread, "Hello");
        send(kafka, turn, thread);
        String name = TurnPods.podName(turn.turnId(), 1);
        AgentTaskOperatorTest.await("the turn's pod", () -> client.pods().inNamespace(ns()).withName(name).get());
        serveLog(name, "Invalid API key · Please run /login\n");
        setStatus(name, "Failed", 1);

        AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class, untilEnd(kafka, turn.turnId()).getLast());
        assertEquals(AgentEvent.FailureReason.NOT_LOGGED_IN, failed.reason());
        assertTrue(failed.message().contains("exited with code 1") && failed.message().contains("Invalid API key"),
                failed.message());
    }

    @Test
    void aPodThatCannotStartFailsTheTurnWithTheReason() {
        TurnRequested turn = turn(thread, "Hello");
        send(kafka, turn, thread);
        String name = TurnPods.podName(turn.turnId(), 1);
        Pod pod = AgentTaskOperatorTest.await("the turn's pod", () -> client.pods().inNamespace(ns()).withName(name).get());
        pod.setStatus(new PodStatusBuilder().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder()
                .withName(TurnPods.CONTAINER).withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"registry.example/mainloop/agent-task:1.0\"").endWaiting().endState()
                .build()).build());
        client.pods().inNamespace(ns()).resource(pod).updateStatus();

        AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class, untilEnd(kafka, turn.turnId()).getLast());
        assertEquals(AgentEvent.FailureReason.CLI_ERROR, failed.reason());
        assertTrue(failed.message().contains("could not start: ImagePullBackOff"), failed.message());
        AgentTaskOperatorTest.await("the pod deleted", () -> client.pods().inNamespace(ns()).withName(name).get() == null ? true : null);
    }

    @Test
    void afterARestartARunningPodIsFollowedAgainNotStartedTwice() {
        TurnRequested turn = turn(thread, "Hello again");
        turns.begin(turn.turnId(), thread); // attempt 1 began before agent-service "restarted"
        String first = TurnPods.podName(turn.turnId(), 1);
        leftoverPod(turn, first, null);
        send(kafka, turn, thread);

        kafka.await(io.mainloop.contracts.Topics.AGENT_EVENTS, v -> v.contains(turn.turnId().toString())
                && v.contains("turn.started"), 1, DEADLINE);
        assertNull(client.pods().inNamespace(ns()).withName(TurnPods.podName(turn.turnId(), 2)).get(),
                "no second pod: the running one is followed");
        serveLog(first, """
                {"type":"stream_event","parent_tool_use_id":null,"event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Still here."}}}
                {"type":"result","subtype":"success","is_error":false,"result":"Still here.","num_turns":1,"duration_ms":900,"usage":{"input_tokens":10,"output_tokens":3}}
                """);
        setStatus(first, "Succeeded", 0);
        AgentEvent.TurnCompleted done = assertInstanceOf(AgentEvent.TurnCompleted.class,
                untilEnd(kafka, turn.turnId()).getLast());
        assertEquals("Still here.", done.text());
    }

    @Test
    void aPodThatDiedMidTurnIsResumedInANewPodOnTheSameSession() throws Exception {
        TurnRequested turn = turn(thread, "Write the report");
        TurnRepository.Begin began = turns.begin(turn.turnId(), thread);
        String first = TurnPods.podName(turn.turnId(), 1);
        leftoverPod(turn, first, "Failed");
        serveLog(first, """
                {"type":"system","subtype":"init","session_id":"s1"}
                {"type":"stream_event","parent_tool_use_id":null,"event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Part one. "}}}
                """);
        send(kafka, turn, thread);

        String second = TurnPods.podName(turn.turnId(), 2);
        Pod resumed = AgentTaskOperatorTest.await("the second attempt's pod", () -> client.pods().inNamespace(ns()).withName(second).get());
        List<String> args = resumed.getSpec().getContainers().getFirst().getArgs();
        assertEquals(began.sessionId().toString(), args.get(args.indexOf("--resume") + 1), "the same session, resumed");
        assertTrue(file(client.secrets().inNamespace(ns()).withName(second).get(), "input.jsonl").contains("interrupted"),
                "told to continue, not given the message again");
        serveLog(second, """
                {"type":"stream_event","parent_tool_use_id":null,"event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Part two."}}}
                {"type":"result","subtype":"success","is_error":false,"result":"Part one. Part two.","num_turns":2,"duration_ms":900,"usage":{"input_tokens":10,"output_tokens":3}}
                """);
        setStatus(second, "Succeeded", 0);
        List<AgentEvent> events = untilEnd(kafka, turn.turnId());
        assertEquals("Part one. Part two.", only(events, AgentEvent.TextDelta.class).stream()
                .map(AgentEvent.TextDelta::text).collect(Collectors.joining()), "both attempts' text, once each");
        assertInstanceOf(AgentEvent.TurnCompleted.class, events.getLast());
        AgentTaskOperatorTest.await("both pods deleted", () -> client.pods().inNamespace(ns())
                .withLabel(TurnPods.TURN_ID_LABEL, turn.turnId().toString()).list().getItems().isEmpty() ? true : null);
    }

    // --- helpers ---

    /** A pod an earlier attempt of {@code turn} left (as the kubelet reports it: {@code phase}, or none yet). */
    private void leftoverPod(TurnRequested turn, String name, String phase) {
        Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name).withNamespace(ns())
                .addToLabels(TurnPods.TURN_ID_LABEL, turn.turnId().toString()).addToLabels(TurnPods.ATTEMPT_LABEL, "1")
                .endMetadata().withNewSpec().addNewContainer().withName(TurnPods.CONTAINER).withImage("x").endContainer()
                .endSpec().build();
        client.pods().inNamespace(ns()).resource(pod).create();
        if (phase != null) {
            setStatus(name, phase, 137);
        }
    }

    /** Serves {@code log} as the CLI container's log, followed or read whole. */
    private void serveLog(String pod, String log) {
        String base = "/api/v1/namespaces/" + ns() + "/pods/" + pod + "/log";
        for (String query : List.of("?pretty=false&container=claude", "?pretty=false&container=claude&follow=true",
                "?pretty=false&follow=true&container=claude")) {
            server.expect().get().withPath(base + query).andReturn(200, log).always();
        }
    }

    /** Plays the kubelet: the pod's phase and its CLI container terminated with {@code exitCode}. */
    private void setStatus(String name, String phase, int exitCode) {
        Pod pod = client.pods().inNamespace(ns()).withName(name).get();
        pod.setStatus(new PodStatusBuilder().withPhase(phase).withContainerStatuses(new ContainerStatusBuilder()
                .withName(TurnPods.CONTAINER).withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(exitCode == 0 ? "Completed" : "Error").endTerminated().endState().build()).build());
        client.pods().inNamespace(ns()).resource(pod).updateStatus();
    }

    private static String file(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private String ns() {
        return client.getNamespace();
    }
}
