package io.mainloop.agent.turnpod;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.repository.TurnRepository;
import io.mainloop.agent.service.StderrTail;
import io.mainloop.agent.service.TurnCli;
import io.mainloop.agent.service.TurnLauncher;
import io.mainloop.agent.service.TurnOutput;
import io.mainloop.contracts.TurnRequested;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs each main-thread turn in a pod of its own ({@code mainloop.agent.turns.mode=kubernetes}),
 * built by {@link TurnPods}: none of agent-service's credentials, database or Kafka settings, or
 * service account token reach the assistant, whose shell runs in that pod only. The CLI's
 * stream-json is followed in the pod's log ({@link PodLogOutput}); a cancel or the deadline deletes
 * the pod. After a restart of agent-service the turn's pods are found by their label
 * {@value TurnPods#TURN_ID_LABEL}: a running one is followed again from the start of its log
 * (re-read events keep their ids), an ended one read, and a new attempt's pod resumes the session
 * from the thread's claim. The turn's pods and Secrets are deleted once its final event is published.
 */
@ApplicationScoped
@LookupIfProperty(name = "mainloop.agent.turns.mode", stringValue = "kubernetes")
public class PodTurnLauncher implements TurnLauncher {

    private static final Logger LOG = Logger.getLogger(PodTurnLauncher.class);

    @Inject
    KubernetesClient client;

    @Inject
    TurnPods pods;

    @Inject
    AgentConfig config;

    private String namespace() {
        return client.getNamespace();
    }

    @Override
    public Optional<Refusal> refusal() {
        return pods.problem().map(problem -> new Refusal(false, "The assistant's turns cannot run in pods: " + problem));
    }

    /** The turn's pods, oldest attempt first (they run {@code sessionId}). */
    List<TurnPod> podsOf(UUID turnId, UUID sessionId) {
        return client.pods().inNamespace(namespace()).withLabel(TurnPods.TURN_ID_LABEL, turnId.toString()).list()
                .getItems().stream()
                .map(p -> new TurnPod(client, namespace(), p.getMetadata().getName(), attemptOf(p), sessionId, null))
                .sorted(Comparator.comparingInt(TurnPod::attempt))
                .toList();
    }

    private static int attemptOf(Pod pod) {
        try {
            return Integer.parseInt(pod.getMetadata().getLabels().getOrDefault(TurnPods.ATTEMPT_LABEL, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public Optional<TurnCli> findRunning(TurnRequested turn, TurnRepository.Begin begin) {
        return podsOf(turn.turnId(), begin.sessionId()).stream().filter(TurnPod::isAlive).reduce((a, b) -> b).map(TurnCli.class::cast);
    }

    @Override
    public boolean hasResult(TurnRequested turn, TurnRepository.Begin begin) {
        return podsOf(turn.turnId(), begin.sessionId()).stream().map(p -> PodLogOutput.wholeLog(client, namespace(), p.name()))
                .anyMatch(log -> log.lines().anyMatch(l -> l.startsWith("{") && l.contains("\"type\":\"result\"")));
    }

    /** Whether a pod's CLI wrote more than its start-up ({@code system}) lines: its session then holds the turn. */
    @Override
    public boolean hasOutput(TurnRequested turn, TurnRepository.Begin begin) {
        return podsOf(turn.turnId(), begin.sessionId()).stream().map(p -> PodLogOutput.wholeLog(client, namespace(), p.name()))
                .anyMatch(log -> log.lines().anyMatch(l -> l.startsWith("{") && !l.contains("\"type\":\"system\"")));
    }

    /**
     * Creates the thread's claim if missing, the attempt's Secret and its pod (an existing pod of
     * the same attempt is taken as it is), and makes the pod the Secret's owner so that the Secret
     * goes with it.
     */
    @Override
    public TurnCli start(TurnRequested turn, TurnRepository.Begin begin, UUID sessionId, boolean resume)
            throws IOException {
        String ns = namespace();
        int attempt = begin.attempt();
        try {
            createIfAbsent(pods.claim(turn.threadId(), ns));
            Secret files = pods.files(turn, attempt, resume, ns);
            client.secrets().inNamespace(ns).resource(files).createOr(existing -> existing.update());
            Pod pod = createIfAbsent(pods.pod(turn, attempt, sessionId, resume, ns));
            if (pod != null && pod.getMetadata().getUid() != null) {
                own(files.getMetadata().getName(), pod);
            }
            LOG.infof("turn %s: started pod %s", turn.turnId(), TurnPods.podName(turn.turnId(), attempt));
            return new TurnPod(client, ns, TurnPods.podName(turn.turnId(), attempt), attempt, sessionId, false);
        } catch (KubernetesClientException e) {
            throw new IOException("the turn's pod could not be created: " + e.getMessage(), e);
        }
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T createIfAbsent(T resource) {
        try {
            return client.resource(resource).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return client.resource(resource).get();
        }
    }

    private void own(String secret, Pod pod) {
        var owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build();
        try {
            client.secrets().inNamespace(namespace()).withName(secret).edit(s -> {
                s.getMetadata().setOwnerReferences(List.of(owner));
                return s;
            });
        } catch (KubernetesClientException e) {
            LOG.debugf("the Secret %s keeps no owner (deleted with the turn instead): %s", secret, e.getMessage());
        }
    }

    @Override
    public TurnOutput output(TurnRequested turn, TurnRepository.Begin begin, TurnCli cli, BooleanSupplier stop) {
        List<TurnPod> all = podsOf(turn.turnId(), begin.sessionId());
        int current = cli instanceof TurnPod pod ? pod.attempt() : Integer.MAX_VALUE;
        List<String> earlier = all.stream().filter(p -> p.attempt() < current).map(TurnPod::name).toList();
        String followed = cli instanceof TurnPod pod ? pod.name() : null;
        return new PodLogOutput(client, namespace(), earlier, followed, stop,
                config.turnTimeout().plus(Duration.ofMinutes(1)));
    }

    /**
     * The non-JSON lines at the end of the last pod's log (the CLI's stderr), or why its container
     * could not start (an image that cannot be pulled, a missing Secret).
     */
    @Override
    public String errorTail(TurnRequested turn, TurnRepository.Begin begin) {
        List<TurnPod> all = podsOf(turn.turnId(), begin.sessionId());
        if (all.isEmpty()) {
            return "";
        }
        String last = all.getLast().name();
        Pod pod = client.pods().inNamespace(namespace()).withName(last).get();
        String stuck = pod == null ? null : PodLogOutput.stuck(pod);
        if (stuck != null) {
            return "its pod " + last + " could not start: " + stuck;
        }
        String log;
        try {
            log = PodLogOutput.wholeLog(client, namespace(), last);
        } catch (RuntimeException e) {
            LOG.infof("turn %s: the log of its pod %s could not be read again (%s); using the lines already read",
                    turn.turnId(), last, e.getMessage());
            return ""; // the caller falls back to the log lines the turn's output kept
        }
        return StderrTail.ofText(log.lines().filter(l -> !l.startsWith("{")).collect(Collectors.joining("\n")));
    }

    @Override
    public void stopLeftover(TurnRequested turn, TurnRepository.Begin begin) {
        podsOf(turn.turnId(), begin.sessionId()).forEach(TurnPod::delete);
    }

    /** Deletes the turn's pods and Secrets (by label). */
    @Override
    public void release(TurnRequested turn) {
        try {
            client.pods().inNamespace(namespace()).withLabel(TurnPods.TURN_ID_LABEL, turn.turnId().toString()).delete();
            client.secrets().inNamespace(namespace()).withLabel(TurnPods.TURN_ID_LABEL, turn.turnId().toString()).delete();
        } catch (KubernetesClientException e) {
            LOG.warnf("turn %s: its pods could not be deleted (%s); delete them with kubectl delete pod -l %s=%s",
                    turn.turnId(), e.getMessage(), TurnPods.TURN_ID_LABEL, turn.turnId());
        }
    }
}
