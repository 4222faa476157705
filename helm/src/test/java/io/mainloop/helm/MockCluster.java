package io.mainloop.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The fabric8 mock API server in CRUD mode, made usable by kubectl 1.32: it answers the discovery
 * requests kubectl makes first ({@code /version}, {@code /api}, {@code /apis}, each group version),
 * which the stock mock leaves empty, for every kind the chart renders, the AgentTask CRD's group, and
 * Jobs (what agent-service creates). As agent-service's own MockCluster does for its operator tests.
 */
final class MockCluster implements AutoCloseable {

    /** kubectl's request timeout: discovery requests carry it as a query parameter. */
    static final String TIMEOUT = "10s";

    private static final String VERBS = "[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]";

    /** The mock server logs every request at INFO; kept quiet (a strong reference keeps the level). */
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

    final KubernetesMockServer server;
    final KubernetesClient client;

    MockCluster() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
        discovery();
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private void discovery() {
        json("/version", """
                {"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}""");
        json("/api", """
                {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""");
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        groups.put("apps/v1", resource("deployments", "Deployment", true, "deploy"));
        groups.put("batch/v1", resource("jobs", "Job", true, null));
        groups.put("rbac.authorization.k8s.io/v1", resource("roles", "Role", true, null) + ","
                + resource("rolebindings", "RoleBinding", true, null));
        groups.put("networking.k8s.io/v1", resource("networkpolicies", "NetworkPolicy", true, "netpol"));
        groups.put("policy/v1", resource("poddisruptionbudgets", "PodDisruptionBudget", true, "pdb"));
        groups.put("autoscaling/v2", resource("horizontalpodautoscalers", "HorizontalPodAutoscaler", true, "hpa"));
        groups.put("apiextensions.k8s.io/v1", resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd"));
        groups.put("mainloop.io/v1", resource("agenttasks", "AgentTask", true, "at"));
        StringBuilder list = new StringBuilder();
        for (String gv : groups.keySet()) {
            String group = gv.substring(0, gv.indexOf('/'));
            String version = gv.substring(gv.indexOf('/') + 1);
            String entry = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + version + "\"}";
            list.append(list.isEmpty() ? "" : ",").append("{\"name\":\"").append(group).append("\",\"versions\":[")
                    .append(entry).append("],\"preferredVersion\":").append(entry).append("}");
        }
        json("/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + list + "]}");
        json("/api/v1", resources("v1", String.join(",",
                resource("pods", "Pod", true, "po"),
                resource("services", "Service", true, "svc"),
                resource("configmaps", "ConfigMap", true, "cm"),
                resource("secrets", "Secret", true, null),
                resource("serviceaccounts", "ServiceAccount", true, "sa"),
                resource("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"),
                resource("namespaces", "Namespace", false, "ns"))));
        groups.forEach((gv, items) -> json("/apis/" + gv, resources(gv, items)));
        for (String path : new String[] {"/openapi/v2", "/openapi/v3"}) {
            for (String query : new String[] {"", "?timeout=" + TIMEOUT}) {
                server.expect().get().withPath(path + query).andReturn(404, "").always();
            }
        }
    }

    private static String resource(String plural, String kind, boolean namespaced, String shortName) {
        String singular = kind.toLowerCase();
        return "{\"name\":\"" + plural + "\",\"singularName\":\"" + singular + "\",\"namespaced\":" + namespaced
                + ",\"kind\":\"" + kind + "\",\"verbs\":" + VERBS
                + (shortName != null ? ",\"shortNames\":[\"" + shortName + "\"]" : "") + "}";
    }

    private static String resources(String groupVersion, String items) {
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + items + "]}";
    }

    /** Expectations match the whole path and query: kubectl adds its request timeout. */
    private void json(String path, String body) {
        for (String query : new String[] {"", "?timeout=" + TIMEOUT}) {
            server.expect().get().withPath(path + query).andReturn(200, body).always();
        }
    }

    /** Runs kubectl against this server with a fresh HOME, kubeconfig and cache; stdin fed, stdout and stderr returned. */
    Result kubectl(Path work, String stdin, String... args) {
        try {
            Path home = Files.createDirectories(work.resolve("home"));
            Path kubeconfig = work.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: %s
                    contexts:
                    - name: mock
                      context:
                        cluster: mock
                        user: mock
                        namespace: %s
                    current-context: mock
                    users:
                    - name: mock
                      user:
                        token: mock
                    """.formatted(server.url("/").replaceAll("/$", ""), Chart.NAMESPACE));
            List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                    "--cache-dir", work.resolve("cache").toString(), "--request-timeout", TIMEOUT));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("HOME", home.toString());
            pb.environment().remove("KUBECONFIG");
            Process process = pb.start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
            copy(process.getInputStream(), out);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + args[0] + " did not end within 60 s");
            }
            errReader.join();
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
