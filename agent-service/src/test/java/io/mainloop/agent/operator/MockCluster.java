package io.mainloop.agent.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Prepares the fabric8 mock API server (CRUD mode) as a cluster with the chart's CRD installed:
 * stores the checked-in AgentTask CRD and answers the discovery requests kubectl makes first
 * ({@code /version}, {@code /api}, {@code /apis}, the group versions), which the stock mock leaves empty.
 */
public class MockCluster implements Consumer<KubernetesServer> {

    /** The checked-in CRD, relative to agent-service (the tests' working directory). */
    public static final Path CRD = Path.of("..", "helm", "mainloop", "crds", "agenttasks.mainloop.io-v1.yml");

    @Override
    public void accept(KubernetesServer server) {
        try (InputStream in = Files.newInputStream(CRD)) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            server.getClient().apiextensions().v1().customResourceDefinitions().resource(crd).create();
        } catch (IOException e) {
            throw new IllegalStateException("no CRD at " + CRD.toAbsolutePath(), e);
        }
        json(server, "/version", """
                {"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}""");
        json(server, "/api", """
                {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""");
        json(server, "/apis", """
                {"kind":"APIGroupList","apiVersion":"v1","groups":[
                 {"name":"batch","versions":[{"groupVersion":"batch/v1","version":"v1"}],"preferredVersion":{"groupVersion":"batch/v1","version":"v1"}},
                 {"name":"apiextensions.k8s.io","versions":[{"groupVersion":"apiextensions.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apiextensions.k8s.io/v1","version":"v1"}},
                 {"name":"mainloop.io","versions":[{"groupVersion":"mainloop.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"mainloop.io/v1","version":"v1"}}]}""");
        json(server, "/api/v1", resources("v1", """
                {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["po"]},
                {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"]}"""));
        json(server, "/apis/batch/v1", resources("batch/v1", """
                {"name":"jobs","singularName":"job","namespaced":true,"kind":"Job","verbs":["create","delete","get","list","patch","update","watch"]}"""));
        json(server, "/apis/apiextensions.k8s.io/v1", resources("apiextensions.k8s.io/v1", """
                {"name":"customresourcedefinitions","singularName":"customresourcedefinition","namespaced":false,"kind":"CustomResourceDefinition","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["crd","crds"]}"""));
        json(server, "/apis/mainloop.io/v1", resources("mainloop.io/v1", """
                {"name":"agenttasks","singularName":"agenttask","namespaced":true,"kind":"AgentTask","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["at"]},
                {"name":"agenttasks/status","singularName":"","namespaced":true,"kind":"AgentTask","verbs":["get","patch","update"]}"""));
        for (String path : new String[] {"/openapi/v2", "/openapi/v3", "/openapi/v2?timeout=10s", "/openapi/v3?timeout=10s"}) {
            server.expect().get().withPath(path).andReturn(404, "").always();
        }
    }

    private static String resources(String groupVersion, String items) {
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + items + "]}";
    }

    /** Expectations match the whole path and query: kubectl adds its request timeout (the tests pass 10s). */
    private static void json(KubernetesServer server, String path, String body) {
        for (String query : new String[] {"", "?timeout=10s", "?timeout=5s"}) {
            server.expect().get().withPath(path + query).andReturn(200, body).always();
        }
    }
}
