package io.mainloop.agent.turnpod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.mainloop.agent.service.TurnOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * A turn's output read from its pods' logs (the CLI container's stdout and stderr, as the
 * kubelet keeps them): the whole log of each earlier attempt's pod, in order, then the current
 * pod's log followed ({@code follow=true}) from its start until the container ends. The reads run
 * on a virtual thread of their own; {@link #next} waits for their lines and returns at once when
 * this service stops. The current pod is waited for until its CLI container starts, ends or the
 * pod is gone (deleted by a cancel or the deadline), or it cannot start ({@link #stuck}).
 */
final class PodLogOutput implements TurnOutput {

    private static final Logger LOG = Logger.getLogger(PodLogOutput.class);
    private static final String END = new String("end of output");
    private static final long POLL_MS = 100;
    /** Container waiting reasons after which a pod never runs by itself. */
    static final List<String> STUCK = List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError");

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** The last non-JSON lines read (the CLI's stderr, mixed into the pod's log). */
    private final java.util.Deque<String> other = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final BooleanSupplier stop;
    private final Thread pump;
    private volatile LogWatch watch;

    /**
     * @param earlier the pods of earlier attempts, oldest first (read whole)
     * @param followed the current attempt's pod (followed), or null
     * @param startWait how long to wait for the followed pod's container to start
     */
    PodLogOutput(KubernetesClient client, String namespace, List<String> earlier, String followed,
                 BooleanSupplier stop, Duration startWait) {
        this.stop = stop;
        this.pump = Thread.ofVirtual().name("turn-log-" + (followed == null ? "read" : followed)).start(() -> {
            try {
                for (String pod : earlier) {
                    String log = wholeLog(client, namespace, pod);
                    log.lines().forEach(lines::add);
                }
                if (followed != null) {
                    follow(client.pods().inNamespace(namespace).withName(followed), startWait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("the log of %s ended: %s", followed, e.toString());
            } finally {
                lines.add(END);
            }
        });
    }

    private void follow(PodResource pod, Duration startWait) throws IOException, InterruptedException {
        Pod ready = pod.waitUntilCondition(p -> p == null || TurnPod.started(p) || TurnPod.ended(p),
                startWait.toMillis(), TimeUnit.MILLISECONDS);
        if (ready == null || !TurnPod.started(ready)) {
            return; // gone, or it cannot start: nothing to read
        }
        watch = pod.inContainer(TurnPods.CONTAINER).watchLog();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }
    }

    /**
     * The whole log of {@code pod}'s CLI container so far, or "" if the pod or its log is gone. A
     * request that fails without an HTTP status (the API server's connection closed under it) is
     * sent again ({@link ApiRetries}).
     *
     * @throws RuntimeException if the API server answers with another error, or keeps failing
     */
    static String wholeLog(KubernetesClient client, String namespace, String pod) {
        try {
            String log = ApiRetries.retried(
                    () -> client.pods().inNamespace(namespace).withName(pod).inContainer(TurnPods.CONTAINER).getLog());
            return log == null ? "" : log;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 400) {
                return ""; // gone, or its container never started
            }
            throw e;
        }
    }

    /** Why {@code pod}'s CLI container cannot start ({@link #STUCK}: reason and message), or null. */
    static String stuck(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null
                        && STUCK.contains(s.getState().getWaiting().getReason()))
                .map(s -> s.getState().getWaiting().getReason()
                        + (s.getState().getWaiting().getMessage() == null ? "" : ": " + s.getState().getWaiting().getMessage()))
                .findFirst().orElse(null);
    }

    @Override
    public String next() throws InterruptedException {
        while (!stop.getAsBoolean()) {
            String line = lines.poll(POLL_MS, TimeUnit.MILLISECONDS);
            if (line == END) {
                lines.add(END);
                return null;
            }
            if (line != null) {
                if (!line.startsWith("{")) {
                    other.addLast(line);
                    while (other.size() > 50) {
                        other.pollFirst();
                    }
                }
                return line;
            }
        }
        return null;
    }

    @Override
    public String otherLines() {
        return String.join("\n", other);
    }

    @Override
    public void close() {
        pump.interrupt();
        LogWatch open = watch;
        if (open != null) {
            open.close();
        }
    }
}
