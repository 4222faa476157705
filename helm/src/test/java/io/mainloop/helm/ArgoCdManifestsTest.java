package io.mainloop.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ArgoCD manifests under argocd/: the two AppProjects, the app-of-apps roots (prod and staging),
 * and the child Applications they render from argocd/apps with the roots' own values: pinned
 * revisions, the CRD's wave before the chart's, ServerSideApply on the CRD, the projects'
 * restrictions, and every kind the chart renders for an environment allowed by the project.
 */
class ArgoCdManifestsTest {

    static final String REPO = "https://github.com/mainloop-dev/mainloop.git";
    static final Pattern RELEASE_TAG = Pattern.compile("v\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?");
    static final String FINALIZER = "resources-finalizer.argocd.argoproj.io";

    static List<GenericKubernetesResource> load(Path file) throws IOException {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (Map<String, Object> doc : Chart.documents(Files.readString(file))) {
            out.add(Chart.YAML.convertValue(doc, GenericKubernetesResource.class));
        }
        return out;
    }

    static GenericKubernetesResource project(String name) throws IOException {
        return load(Chart.ARGOCD.resolve("projects.yaml")).stream().filter(p -> p.getMetadata().getName().equals(name))
                .findFirst().orElseThrow();
    }

    static List<GenericKubernetesResource> roots() throws IOException {
        List<GenericKubernetesResource> roots = new ArrayList<>();
        roots.addAll(load(Chart.ARGOCD.resolve("root.yaml")));
        roots.addAll(load(Chart.ARGOCD.resolve("root-staging.yaml")));
        return roots;
    }

    /** The child Applications a root renders: argocd/apps with the root's valuesObject. */
    @SuppressWarnings("unchecked")
    static List<GenericKubernetesResource> children(GenericKubernetesResource root) {
        Map<String, Object> values = (Map<String, Object>) root.get("spec", "source", "helm", "valuesObject");
        Map<String, String> set = new LinkedHashMap<>();
        values.forEach((k, v) -> set.put(k, String.valueOf(v)));
        String yaml = Chart.templateOf(Chart.ARGOCD.resolve(String.valueOf((Object) root.get("spec", "source", "path")).substring("argocd/".length())), set);
        return Chart.documents(yaml).stream().map(d -> Chart.YAML.convertValue(d, GenericKubernetesResource.class)).toList();
    }

    @SuppressWarnings("unchecked")
    static <T> T at(GenericKubernetesResource r, Object... path) {
        return (T) r.get(path);
    }

    static int wave(GenericKubernetesResource app) {
        Map<String, String> annotations = app.getMetadata().getAnnotations();
        return Integer.parseInt(annotations == null ? "0" : annotations.getOrDefault("argocd.argoproj.io/sync-wave", "0"));
    }

    static void assertPinned(GenericKubernetesResource app) {
        String revision = at(app, "spec", "source", "targetRevision");
        assertNotNull(revision, app.getMetadata().getName() + ": targetRevision");
        assertTrue(RELEASE_TAG.matcher(revision).matches(),
                app.getMetadata().getName() + ": targetRevision is a release tag, not HEAD or a branch: " + revision);
        assertEquals(REPO, at(app, "spec", "source", "repoURL"), app.getMetadata().getName());
    }

    @Test
    void theRootsArePinnedAndPassTheirRevisionToTheChildren() throws IOException {
        List<GenericKubernetesResource> roots = roots();
        assertEquals(2, roots.size());
        for (GenericKubernetesResource root : roots) {
            String name = root.getMetadata().getName();
            assertEquals("Application", root.getKind());
            assertEquals("argoproj.io/v1alpha1", root.getApiVersion());
            assertEquals("argocd", root.getMetadata().getNamespace());
            assertPinned(root);
            assertEquals((Object) at(root, "spec", "source", "targetRevision"), at(root, "spec", "source", "helm", "valuesObject", "targetRevision"),
                    name + ": the children run the root's revision");
            assertEquals("argocd/apps", at(root, "spec", "source", "path"));
            assertEquals("mainloop-bootstrap", at(root, "spec", "project"), name);
            assertEquals("argocd", at(root, "spec", "destination", "namespace"), name);
            assertTrue(root.getMetadata().getFinalizers().contains(FINALIZER), name + ": the resources finalizer");
            List<String> syncOptions = at(root, "spec", "syncPolicy", "syncOptions");
            assertTrue(syncOptions.contains("PruneLast=true"), name);
            for (GenericKubernetesResource child : children(root)) {
                assertPinned(child);
                assertEquals((Object) at(root, "spec", "source", "targetRevision"), at(child, "spec", "source", "targetRevision"),
                        child.getMetadata().getName());
            }
        }
    }

    @Test
    void theCrdSyncsFirstWithServerSideApplyAndIsNeverDeleted() throws IOException {
        GenericKubernetesResource prodRoot = roots().get(0);
        assertEquals("mainloop-root", prodRoot.getMetadata().getName());
        List<GenericKubernetesResource> apps = children(prodRoot);
        assertEquals(List.of("mainloop-crds", "mainloop-prod"), apps.stream().map(a -> a.getMetadata().getName()).sorted().toList());
        GenericKubernetesResource crds = apps.stream().filter(a -> a.getMetadata().getName().equals("mainloop-crds")).findFirst().orElseThrow();
        GenericKubernetesResource chart = apps.stream().filter(a -> a.getMetadata().getName().equals("mainloop-prod")).findFirst().orElseThrow();

        assertTrue(wave(crds) < wave(chart), "the CRD's wave (" + wave(crds) + ") before the chart's (" + wave(chart) + ")");
        assertEquals(-1, wave(crds));
        assertEquals("helm/mainloop/crds", at(crds, "spec", "source", "path"), "the chart's own crds/ directory");
        assertTrue(Files.isRegularFile(Chart.ROOT.resolve("helm/mainloop/crds").resolve("agenttasks.mainloop.io-v1.yml")));
        List<String> crdOptions = at(crds, "spec", "syncPolicy", "syncOptions");
        assertTrue(crdOptions.contains("ServerSideApply=true"), "ServerSideApply on the CRD path: " + crdOptions);
        assertEquals(Boolean.FALSE, at(crds, "spec", "syncPolicy", "automated", "prune"), "the CRD is never pruned");
        List<String> crdFinalizers = crds.getMetadata().getFinalizers();
        assertTrue(crdFinalizers == null || !crdFinalizers.contains(FINALIZER),
                "no cascading delete of the CRD (it would delete every AgentTask)");

        assertEquals("helm/mainloop", at(chart, "spec", "source", "path"));
        assertEquals(Boolean.TRUE, at(chart, "spec", "source", "helm", "skipCrds"), "the CRD comes from mainloop-crds");
        List<String> chartOptions = at(chart, "spec", "syncPolicy", "syncOptions");
        assertTrue(chartOptions.containsAll(List.of("CreateNamespace=true", "PruneLast=true")), chartOptions.toString());
        assertTrue(chart.getMetadata().getFinalizers().contains(FINALIZER));
        assertEquals("mainloop", at(chart, "spec", "destination", "namespace"));
        List<String> valueFiles = at(chart, "spec", "source", "helm", "valueFiles");
        assertEquals(List.of("../../argocd/values/prod.yaml"), valueFiles);
        assertTrue(Files.isRegularFile(Chart.ROOT.resolve("helm/mainloop").resolve(valueFiles.get(0)).normalize()),
                "the values file exists relative to the chart");
    }

    @Test
    void stagingLeavesTheClusterWideCrdToProduction() throws IOException {
        GenericKubernetesResource staging = roots().get(1);
        assertEquals("mainloop-staging-root", staging.getMetadata().getName());
        List<GenericKubernetesResource> apps = children(staging);
        assertEquals(List.of("mainloop-staging"), apps.stream().map(a -> a.getMetadata().getName()).toList());
        assertEquals("mainloop-staging", at(apps.get(0), "spec", "destination", "namespace"));
        assertEquals(List.of("../../argocd/values/staging.yaml"), at(apps.get(0), "spec", "source", "helm", "valueFiles"));
    }

    @Test
    void aMovingRevisionIsRefused() {
        for (String revision : List.of("HEAD", "main", "")) {
            Exception e = assertThrows(Exception.class,
                    () -> Chart.templateOf(Chart.ARGOCD.resolve("apps"), Map.of("targetRevision", revision)), revision);
            assertTrue(e.getMessage().contains("release tag"), e.getMessage());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProjectsAreRestricted() throws IOException {
        GenericKubernetesResource mainloop = project("mainloop");
        assertEquals(List.of(REPO), at(mainloop, "spec", "sourceRepos"), "one source repository");
        List<Map<String, Object>> destinations = at(mainloop, "spec", "destinations");
        assertEquals(Set.of("mainloop", "mainloop-staging"), destinations.stream().map(d -> (String) d.get("namespace"))
                .collect(Collectors.toSet()));
        destinations.forEach(d -> assertEquals("https://kubernetes.default.svc", d.get("server")));
        List<Map<String, Object>> cluster = at(mainloop, "spec", "clusterResourceWhitelist");
        assertEquals(List.of(Map.of("group", "apiextensions.k8s.io", "kind", "CustomResourceDefinition")), cluster,
                "cluster-scoped: the CRD only");
        List<Map<String, Object>> namespaced = at(mainloop, "spec", "namespaceResourceWhitelist");
        Set<String> allowed = namespaced.stream().map(m -> m.get("group") + "/" + m.get("kind")).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(allowed.stream().noneMatch(a -> a.contains("*")), "no wildcard: " + allowed);
        assertFalse(allowed.contains("/Secret"), "ArgoCD deploys no Secret");

        // every kind the chart renders for an environment is allowed, and nothing else is needed
        Set<String> rendered = new TreeSet<>();
        for (String env : List.of("prod", "staging")) {
            Chart.Rendered r = Chart.template(Chart.ARGOCD.resolve("values/" + env + ".yaml"), Map.of());
            for (HasMetadata o : r.objects) {
                String apiVersion = o.getApiVersion();
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                rendered.add(group + "/" + o.getKind());
            }
            assertTrue(r.ofKind("Pod").isEmpty(), env + ": no helm test pod under ArgoCD");
        }
        Set<String> missing = new TreeSet<>(rendered);
        missing.removeAll(allowed);
        assertEquals(Set.of(), missing, "rendered kinds the project does not allow");
        assertTrue(rendered.containsAll(List.of("postgresql.cnpg.io/Cluster", "kafka.strimzi.io/Kafka")), "staging uses the operators");

        // the root's project: Applications in argocd's namespace, nothing cluster-wide
        GenericKubernetesResource bootstrap = project("mainloop-bootstrap");
        assertEquals(List.of(REPO), at(bootstrap, "spec", "sourceRepos"));
        assertEquals(List.of(Map.of("server", "https://kubernetes.default.svc", "namespace", "argocd")), at(bootstrap, "spec", "destinations"));
        assertEquals(List.of(), at(bootstrap, "spec", "clusterResourceWhitelist"));
        assertEquals(List.of(Map.of("group", "argoproj.io", "kind", "Application")), at(bootstrap, "spec", "namespaceResourceWhitelist"));

        // every child Application's destination is one its project allows
        for (GenericKubernetesResource root : roots()) {
            for (GenericKubernetesResource child : children(root)) {
                assertEquals("mainloop", at(child, "spec", "project"));
                Map<String, Object> destination = at(child, "spec", "destination");
                assertTrue(destinations.contains(Map.of("server", destination.get("server"), "namespace", destination.get("namespace"))),
                        child.getMetadata().getName() + " -> " + destination);
            }
        }
    }

    @Test
    void theEnvironmentsValuesRender() throws IOException {
        try (Stream<Path> files = Files.list(Chart.ARGOCD.resolve("values"))) {
            List<Path> envs = files.sorted().toList();
            assertEquals(List.of("prod.yaml", "staging.yaml"), envs.stream().map(p -> p.getFileName().toString()).toList());
            for (Path env : envs) {
                Chart.Rendered r = Chart.template(env, Map.of());
                Map<String, String> gateway = ChartTemplateTest.env(r, ChartTemplateTest.GATEWAY);
                assertEquals("true", gateway.get("MAINLOOP_GATEWAY_ACCESS_ENABLED"), env + ": Access in front");
                assertEquals("Europe/Paris", ChartTemplateTest.env(r, ChartTemplateTest.MEMORY).get("MAINLOOP_MEMORY_TIME_ZONE"));
                assertFalse(r.ofKind("NetworkPolicy").isEmpty(), env + ": NetworkPolicies on");
            }
        }
    }
}
