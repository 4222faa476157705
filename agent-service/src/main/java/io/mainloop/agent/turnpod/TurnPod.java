package io.mainloop.agent.turnpod;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.mainloop.agent.service.TurnCli;
import io.mainloop.agent.service.TurnProcess;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pod running one attempt of a turn ({@link TurnPods}): alive while Pending or Running, its
 * exit code from the CLI container's terminated state, stopped by deleting it at once (grace
 * period 0). A deleted pod counts as ended.
 */
public final class TurnPod implements TurnCli {

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final int attempt;
    private final java.util.UUID sessionId;
    private final Boolean started;
    private final AtomicReference<TurnProcess.Ending> ending = new AtomicReference<>();

    /**
     * @param attempt the turn attempt the pod runs (its label {@value TurnPods#ATTEMPT_LABEL})
     * @param sessionId the Claude Code session it runs
     * @param started false for a pod created for the turn now (a cold start), null for one found again
     */
    public TurnPod(KubernetesClient client, String namespace, String name, int attempt, java.util.UUID sessionId,
                   Boolean started) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.attempt = attempt;
        this.sessionId = sessionId;
        this.started = started;
    }

    @Override
    public java.util.UUID sessionId() {
        return sessionId;
    }

    @Override
    public Boolean warm() {
        return started;
    }

    /** The pod's name. */
    public String name() {
        return name;
    }

    /** The attempt it runs. */
    public int attempt() {
        return attempt;
    }

    @Override
    public long pid() {
        return 0;
    }

    @Override
    public boolean isAlive() {
        Pod pod = ApiRetries.retried(resource()::get);
        return pod != null && !ended(pod);
    }

    @Override
    public OptionalInt exitCode() {
        Pod pod = ApiRetries.retried(resource()::get);
        return pod == null ? OptionalInt.empty() : exitCode(pod);
    }

    /** Waits for the pod to end, watching it again when the watch's connection fails before {@code ms} passed. */
    @Override
    public void awaitExit(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                resource().waitUntilCondition(p -> p == null || ended(p), Math.max(left, 1), TimeUnit.MILLISECONDS);
                return;
            } catch (KubernetesClientTimeoutException e) {
                return; // still running: the caller checks
            } catch (RuntimeException e) {
                if (left <= 0 || !ApiRetries.transportFailure(e)) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public TurnProcess.Ending ending() {
        return ending.get();
    }

    @Override
    public void kill(TurnProcess.Ending why) {
        if (ending.compareAndSet(null, why)) {
            delete();
        }
    }

    /** Deletes the pod at once (no grace period); a pod already gone is no error. */
    void delete() {
        try {
            resource().withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private PodResource resource() {
        return client.pods().inNamespace(namespace).withName(name);
    }

    /**
     * Whether {@code pod} has ended: phase Succeeded or Failed, its CLI container terminated, or
     * that container cannot start ({@link PodLogOutput#stuck}: it never would by itself).
     */
    static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase) || terminated(pod) || PodLogOutput.stuck(pod) != null;
    }

    /** Whether {@code pod}'s CLI container has started (its log can be read): running, or terminated. */
    static boolean started(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return terminated(pod) || "Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase)
                || cliStatus(pod).map(s -> s.getState() != null && s.getState().getRunning() != null).orElse(false);
    }

    private static boolean terminated(Pod pod) {
        return cliStatus(pod).map(s -> s.getState() != null && s.getState().getTerminated() != null).orElse(false);
    }

    static OptionalInt exitCode(Pod pod) {
        return cliStatus(pod).filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                .map(s -> OptionalInt.of(s.getState().getTerminated().getExitCode()))
                .orElse(OptionalInt.empty());
    }

    private static Optional<ContainerStatus> cliStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().filter(s -> TurnPods.CONTAINER.equals(s.getName())).findFirst();
    }

    /** {@code pod <name>}. */
    @Override
    public String toString() {
        return "pod " + name;
    }
}
