package io.mainloop.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered default manifests, with the CRD from crds/ as helm install applies it first, applied
 * with {@code kubectl apply --validate=false} to the fabric8 mock API server (CRUD), then read back
 * with the fabric8 client; an AgentTask is applied against the installed CRD.
 */
class ChartApplyTest {

    @Test
    void kubectlAppliesTheRenderedChartAndTheClientReadsItBack(@TempDir Path work) throws Exception {
        Chart.Rendered rendered = Chart.template(Map.of());
        try (MockCluster cluster = new MockCluster()) {
            MockCluster.Result crd = cluster.kubectl(work, Files.readString(Chart.CRD), "apply", "--validate=false", "-f", "-");
            assertEquals(0, crd.exitCode(), crd.stderr());
            assertTrue(crd.stdout().contains("customresourcedefinition.apiextensions.k8s.io/agenttasks.mainloop.io created"), crd.stdout());

            MockCluster.Result apply = cluster.kubectl(work, rendered.yaml, "apply", "--validate=false", "-f", "-");
            assertEquals(0, apply.exitCode(), apply.stdout() + apply.stderr());
            for (String line : List.of("deployment.apps/mainloop-gateway created", "deployment.apps/mainloop-agent created",
                    "role.rbac.authorization.k8s.io/mainloop-agent created", "networkpolicy.networking.k8s.io/mainloop-default-deny created",
                    "poddisruptionbudget.policy/mainloop-memory created", "serviceaccount/mainloop-agent-task created",
                    "persistentvolumeclaim/mainloop-agent-workspaces created", "pod/mainloop-test-gateway-ready created")) {
                assertTrue(apply.stdout().contains(line), "kubectl printed \"" + line + "\" in:\n" + apply.stdout());
            }
            assertEquals(rendered.objects.size(), apply.stdout().lines().filter(l -> l.endsWith(" created")).count(),
                    "every rendered object created:\n" + apply.stdout());

            var client = cluster.client;
            Deployment gateway = client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("mainloop-gateway").get();
            assertNotNull(gateway);
            assertEquals(rendered.one(Deployment.class, "mainloop-gateway").getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getImage(), gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertEquals(Boolean.TRUE, gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
                    .getReadOnlyRootFilesystem());
            Role role = client.rbac().roles().inNamespace(Chart.NAMESPACE).withName("mainloop-agent").get();
            assertEquals(9, role.getRules().size(), "the Role's rules as rendered");
            NetworkPolicy deny = client.network().v1().networkPolicies().inNamespace(Chart.NAMESPACE).withName("mainloop-default-deny").get();
            assertEquals(List.of("Ingress", "Egress"), deny.getSpec().getPolicyTypes());
            assertEquals(4, client.configMaps().inNamespace(Chart.NAMESPACE).list().getItems().size());
            assertEquals(5, client.apps().deployments().inNamespace(Chart.NAMESPACE).list().getItems().size());
            assertNotNull(client.apiextensions().v1().customResourceDefinitions().withName("agenttasks.mainloop.io").get());

            // the CRD is installed: an AgentTask can be applied and is read back as the operator would
            String task = """
                    apiVersion: mainloop.io/v1
                    kind: AgentTask
                    metadata:
                      name: summarise-issues
                    spec:
                      title: Summarise the open issues
                      prompt: Read the open issues and write a summary to SUMMARY.md.
                      profile: small
                    """;
            MockCluster.Result at = cluster.kubectl(work, task, "apply", "--validate=false", "-f", "-");
            assertEquals(0, at.exitCode(), at.stderr());
            GenericKubernetesResource read = client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                    .withGroup("mainloop.io").withVersion("v1").withPlural("agenttasks").withKind("AgentTask").withNamespaced(true).build())
                    .inNamespace(Chart.NAMESPACE).withName("summarise-issues").get();
            assertEquals("small", read.get("spec", "profile"));
            MockCluster.Result get = cluster.kubectl(work, "", "get", "at", "-o", "name");
            assertEquals("agenttask.mainloop.io/summarise-issues", get.stdout().trim(), get.stderr());
        }
    }
}
