package io.mainloop.agent.operator;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Starts the AgentTask operator (its informers and reconciler) only in Kubernetes mode
 * ({@code mainloop.agent.tasks.mode=kubernetes}); the operator SDK never starts it by itself
 * ({@code quarkus.operator-sdk.start-operator=false}), so the local, embedded default talks to no
 * Kubernetes API. In Kubernetes mode it also adds the readiness check "AgentTask operator": up
 * once the operator runs and all its informers are healthy.
 */
@ApplicationScoped
public class OperatorStartup {

    /** The name of the readiness check added in Kubernetes mode. */
    public static final String CHECK = "AgentTask operator";

    private static final Logger LOG = Logger.getLogger(OperatorStartup.class);

    @Inject
    TasksModeConfig tasks;

    @Inject
    KubernetesConfig config;

    @Inject
    Operator operator;

    @Inject
    @Readiness
    HealthRegistry readiness;

    /** Whether tasks run as Kubernetes Jobs. */
    public boolean kubernetesMode() {
        return tasks.kubernetes();
    }

    void onStart(@Observes StartupEvent event) {
        if (!kubernetesMode()) {
            return;
        }
        if (config.image().isEmpty()) {
            throw new IllegalStateException("mainloop.agent.tasks.mode=kubernetes needs mainloop.agent.kubernetes.image "
                    + "(the image with the claude CLI that AgentTask Jobs run)");
        }
        readiness.register(CHECK, (HealthCheck) () -> {
            var runtime = operator.getRuntimeInfo();
            boolean up = runtime.isStarted() && runtime.allEventSourcesAreHealthy();
            return HealthCheckResponse.named(CHECK).status(up).build();
        });
        LOG.info("Kubernetes mode: starting the AgentTask operator");
        operator.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (kubernetesMode() && operator.getRuntimeInfo().isStarted()) {
            operator.stop(); // the SDK stops only an operator it started itself
        }
    }
}
