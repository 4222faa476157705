package io.mainloop.helm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm template} of the default values and every {@code ci/*-values.yaml}, each document parsed
 * into the fabric8 model and checked: hardened pods, pinned images, probes, the services' environment,
 * least-privilege RBAC, NetworkPolicies, PDBs, the HPA and the optional operators' resources.
 */
class ChartTemplateTest {

    static final String GATEWAY = "mainloop-gateway";
    static final String MEMORY = "mainloop-memory";
    static final String AGENT = "mainloop-agent";
    static final String SCHEDULER = "mainloop-scheduler";
    static final String CLOUDFLARED = "mainloop-cloudflared";
    static final String TEST_POD = "mainloop-test-gateway-ready";
    static final String SUB_AGENT_SA = "mainloop-agent-task";
    static final List<String> SERVICES = List.of(GATEWAY, MEMORY, AGENT, SCHEDULER);

    private static final Map<String, Chart.Rendered> RENDERED = new ConcurrentHashMap<>();

    static Stream<org.junit.jupiter.api.Named<Path>> scenarios() {
        return Chart.scenarios().stream().map(p -> org.junit.jupiter.api.Named.of(p.getFileName().toString(), p));
    }

    static Chart.Rendered render(Path scenario) {
        return RENDERED.computeIfAbsent(scenario.getFileName().toString(), k -> Chart.template(scenario, Map.of()));
    }

    static Chart.Rendered scenario(String name) {
        return render(Chart.CI.resolve(name + "-values.yaml"));
    }

    // ---------------------------------------------------------------- every scenario

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyPodIsHardenedAndHasResources(Path scenario) {
        Chart.Rendered r = render(scenario);
        Map<String, PodSpec> pods = podSpecs(r);
        assertTrue(pods.keySet().containsAll(List.of("Deployment/" + GATEWAY, "Deployment/" + MEMORY,
                "Deployment/" + AGENT, "Deployment/" + SCHEDULER)), pods.keySet().toString());
        for (Map.Entry<String, PodSpec> pod : pods.entrySet()) {
            PodSpec spec = pod.getValue();
            String where = scenario.getFileName() + " " + pod.getKey();
            PodSecurityContext psc = spec.getSecurityContext();
            assertNotNull(psc, where + ": pod securityContext");
            assertEquals(Boolean.TRUE, psc.getRunAsNonRoot(), where + ": runAsNonRoot");
            assertEquals(10001L, psc.getRunAsUser(), where + ": runAsUser");
            assertEquals("RuntimeDefault", psc.getSeccompProfile().getType(), where + ": pod seccomp");
            assertEquals(Boolean.FALSE, spec.getEnableServiceLinks(), where + ": enableServiceLinks");
            List<Container> containers = new ArrayList<>(spec.getContainers());
            if (spec.getInitContainers() != null) {
                containers.addAll(spec.getInitContainers());
            }
            for (Container c : containers) {
                String cw = where + " container " + c.getName();
                SecurityContext sc = c.getSecurityContext();
                assertNotNull(sc, cw + ": securityContext");
                assertAll(cw,
                        () -> assertEquals(Boolean.TRUE, sc.getRunAsNonRoot(), "runAsNonRoot"),
                        () -> assertEquals(10001L, sc.getRunAsUser(), "runAsUser"),
                        () -> assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem"),
                        () -> assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation"),
                        () -> assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), "capabilities.drop"),
                        () -> assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), "no capability added"),
                        () -> assertNull(sc.getPrivileged(), "privileged"),
                        () -> assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), "seccomp"));
                Map<String, Quantity> requests = c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertNotNull(requests, cw + ": requests");
                assertTrue(requests.containsKey("cpu") && requests.containsKey("memory"), cw + ": cpu and memory requests " + requests);
                assertNotNull(limits, cw + ": limits");
                assertTrue(limits.containsKey("memory"), cw + ": memory limit " + limits);
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), cw + ": /tmp mounted");
            }
            Volume tmp = spec.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
            assertNotNull(tmp.getEmptyDir(), where + ": /tmp is an emptyDir");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void imagesArePinned(Path scenario) {
        Chart.Rendered r = render(scenario);
        List<String> images = new ArrayList<>();
        podSpecs(r).values().forEach(spec -> spec.getContainers().forEach(c -> images.add(c.getImage())));
        ConfigMap agentConfig = r.one(ConfigMap.class, AGENT);
        images.add(agentConfig.getData().get("MAINLOOP_AGENT_KUBERNETES_IMAGE"));
        images.add(agentConfig.getData().get("MAINLOOP_AGENT_KUBERNETES_GIT_IMAGE"));
        for (String image : images) {
            assertNotNull(image);
            if (image.contains("@sha256:")) {
                assertTrue(image.matches(".+@sha256:[a-f0-9]{64}"), image);
                continue;
            }
            String tag = tag(image);
            assertNotNull(tag, "image without a tag: " + image);
            assertFalse(tag.isBlank(), "empty tag: " + image);
            assertNotEquals("latest", tag, "latest: " + image);
        }
        for (String name : SERVICES) {
            String image = container(r.one(Deployment.class, name)).getImage();
            assertTrue(image.startsWith("ghcr.io/mainloop-dev/mainloop-" + name.substring("mainloop-".length()) + "-service"), image);
        }
        assertEquals("ghcr.io/mainloop-dev/mainloop-agent-task:0.1.0", agentConfig.getData().get("MAINLOOP_AGENT_KUBERNETES_IMAGE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theServicesHaveStartupLivenessAndReadinessProbes(Path scenario) {
        Chart.Rendered r = render(scenario);
        Map<String, Integer> ports = Map.of(GATEWAY, 8080, MEMORY, 8081, AGENT, 8082, SCHEDULER, 8083);
        for (String name : SERVICES) {
            Container c = container(r.one(Deployment.class, name));
            assertProbe(c.getStartupProbe(), "/q/health/live", name + " startup");
            assertProbe(c.getLivenessProbe(), "/q/health/live", name + " liveness");
            assertProbe(c.getReadinessProbe(), "/q/health/ready", name + " readiness");
            assertTrue(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold() >= 30,
                    name + ": the startup probe allows a JVM start (~10 s)");
            assertEquals(ports.get(name), c.getPorts().get(0).getContainerPort(), name + " port");
            assertEquals("http", c.getPorts().get(0).getName());
            Map<String, String> env = env(r, name);
            assertEquals(String.valueOf(ports.get(name)), env.get("QUARKUS_HTTP_PORT"), name);
            assertEquals("0.0.0.0", env.get("QUARKUS_HTTP_HOST"), name);
            io.fabric8.kubernetes.api.model.Service svc = r.one(io.fabric8.kubernetes.api.model.Service.class, name);
            assertEquals(ports.get(name), svc.getSpec().getPorts().get(0).getPort(), name + " Service port");
            assertEquals(r.one(Deployment.class, name).getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector(),
                    name + ": the Service selects the Deployment's pods");
        }
        Container cloudflared = container(r.one(Deployment.class, CLOUDFLARED));
        assertEquals("/ready", cloudflared.getReadinessProbe().getHttpGet().getPath());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theServicesGetTheirSettingsAndSecretsByReference(Path scenario) {
        Chart.Rendered r = render(scenario);
        for (String name : SERVICES) {
            Map<String, String> env = env(r, name);
            assertTrue(env.keySet().containsAll(List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS", "JAVA_TOOL_OPTIONS")), name + ": " + env.keySet());
            assertTrue(env.get("QUARKUS_DATASOURCE_JDBC_URL").startsWith("jdbc:postgresql://"), name);
            assertSecretRef(r, name, "QUARKUS_DATASOURCE_PASSWORD");
        }
        Map<String, String> gateway = env(r, GATEWAY);
        assertEquals("http://mainloop-memory:8081", gateway.get("QUARKUS_REST_CLIENT_MEMORY_URL"));
        assertEquals("http://mainloop-agent:8082", gateway.get("QUARKUS_REST_CLIENT_AGENT_URL"));
        assertEquals("http://mainloop-scheduler:8083", gateway.get("QUARKUS_REST_CLIENT_SCHEDULER_URL"));
        assertEquals("true", gateway.get("MAINLOOP_GATEWAY_SECURE_COOKIES"));
        assertTrue(gateway.containsKey("MAINLOOP_GATEWAY_ACCESS_ENABLED"));
        assertTrue(gateway.containsKey("MAINLOOP_GATEWAY_OWNER_TOKEN") || "true".equals(gateway.get("MAINLOOP_GATEWAY_ACCESS_ENABLED")),
                "the gateway has an authentication method");
        assertFalse(gateway.containsKey("MAINLOOP_GATEWAY_MCP_SECRET"));

        Map<String, String> memory = env(r, MEMORY);
        assertSecretRef(r, MEMORY, "MAINLOOP_MEMORY_MCP_SECRET");
        assertTrue(memory.keySet().containsAll(List.of("MAINLOOP_MEMORY_TIME_ZONE",
                "MAINLOOP_MEMORY_HEARTBEAT_DAILY_TOKEN_BUDGET", "MAINLOOP_MEMORY_HEARTBEAT_DAILY_COST_BUDGET_USD")), memory.keySet().toString());

        // the internal API: required by memory, agent and scheduler on /api, sent by the gateway
        for (String service : List.of(MEMORY, AGENT, SCHEDULER)) {
            assertSecretRef(r, service, "MAINLOOP_INTERNAL_API_TOKEN");
        }
        assertSecretRef(r, GATEWAY, "MAINLOOP_GATEWAY_INTERNAL_API_TOKEN");
        assertFalse(env(r, GATEWAY).containsKey("MAINLOOP_INTERNAL_API_TOKEN"), "the gateway's own /api is the owner's");

        Map<String, String> scheduler = env(r, SCHEDULER);
        assertSecretRef(r, SCHEDULER, "MAINLOOP_SCHEDULER_MCP_SECRET");
        assertTrue(scheduler.keySet().containsAll(List.of("MAINLOOP_SCHEDULER_TIME_ZONE", "MAINLOOP_SCHEDULER_HEARTBEAT_ENABLED",
                "MAINLOOP_SCHEDULER_HEARTBEAT_EVERY", "MAINLOOP_SCHEDULER_HEARTBEAT_ACTIVE_HOURS",
                "MAINLOOP_SCHEDULER_HEARTBEAT_MODEL")), scheduler.keySet().toString());
        assertEquals(memory.get("MAINLOOP_MEMORY_TIME_ZONE"), scheduler.get("MAINLOOP_SCHEDULER_TIME_ZONE"),
                "one owner time zone feeds both");

        Map<String, String> agent = env(r, AGENT);
        assertSecretRef(r, AGENT, "MAINLOOP_AGENT_MEMORY_MCP_SECRET");
        assertEquals("kubernetes", agent.get("MAINLOOP_AGENT_TASKS_MODE"));
        assertEquals("kubernetes", agent.get("MAINLOOP_AGENT_TURNS_MODE"), "the main thread's turns run in pods of their own");
        assertEquals("medium", agent.get("MAINLOOP_AGENT_TURNS_PROFILE"));
        assertEquals(SUB_AGENT_SA, agent.get("MAINLOOP_AGENT_KUBERNETES_SERVICE_ACCOUNT"));
        assertEquals("mainloop-agent-credentials", agent.get("MAINLOOP_AGENT_KUBERNETES_CREDENTIALS_SECRET"));
        assertEquals("http://mainloop-agent:8082/mcp", agent.get("MAINLOOP_AGENT_KUBERNETES_MCP_URL"));
        assertEquals("http://mainloop-memory:8081/mcp", agent.get("MAINLOOP_AGENT_MEMORY_MCP_URL"));
        assertEquals("http://mainloop-scheduler:8083/mcp", agent.get("MAINLOOP_AGENT_SCHEDULER_MCP_URL"));
        assertEquals("/data/workspaces", agent.get("MAINLOOP_AGENT_WORKSPACE_DIR"));
        assertTrue(agent.containsKey("MAINLOOP_AGENT_KUBERNETES_WORKSPACE_SIZE"));
        assertTrue(agent.containsKey("MAINLOOP_AGENT_TASKS_MAX_CONCURRENT"));
        for (String key : List.of("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY")) {
            EnvVar var = envVar(r.one(Deployment.class, AGENT), key);
            assertEquals("mainloop-agent-credentials", var.getValueFrom().getSecretKeyRef().getName(), key);
            assertEquals(Boolean.TRUE, var.getValueFrom().getSecretKeyRef().getOptional(), key + " is optional");
        }
        PodSpec agentPod = r.one(Deployment.class, AGENT).getSpec().getTemplate().getSpec();
        Container agentContainer = agentPod.getContainers().get(0);
        assertTrue(agentContainer.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/data/workspaces")));
        assertTrue(agentContainer.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/home/mainloop")));
        assertNotNull(agentPod.getVolumes().stream().filter(v -> v.getName().equals("workspaces")).findFirst().orElseThrow()
                .getPersistentVolumeClaim(), "the main thread's workspace is a claim");
        assertEquals("Recreate", r.one(Deployment.class, AGENT).getSpec().getStrategy().getType(),
                "one pod at a time mounts the workspace claim");

        // the MCP secret is the same Secret key for all three
        Set<String> mcpRefs = new TreeSet<>();
        for (String[] s : new String[][] {{MEMORY, "MAINLOOP_MEMORY_MCP_SECRET"}, {AGENT, "MAINLOOP_AGENT_MEMORY_MCP_SECRET"},
                {SCHEDULER, "MAINLOOP_SCHEDULER_MCP_SECRET"}}) {
            var ref = envVar(r.one(Deployment.class, s[0]), s[1]).getValueFrom().getSecretKeyRef();
            mcpRefs.add(ref.getName() + "/" + ref.getKey());
        }
        assertEquals(1, mcpRefs.size(), "one shared MCP key: " + mcpRefs);

        Container cloudflared = container(r.one(Deployment.class, CLOUDFLARED));
        assertNotNull(envVar(r.one(Deployment.class, CLOUDFLARED), "TUNNEL_TOKEN").getValueFrom().getSecretKeyRef());
        assertTrue(cloudflared.getArgs().containsAll(List.of("tunnel", "--no-autoupdate", "run")), cloudflared.getArgs().toString());
        assertTrue(cloudflared.getArgs().stream().noneMatch(a -> a.contains("TUNNEL_TOKEN")), "the token is not on the command line");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noSecretValuesAreRendered(Path scenario) {
        Chart.Rendered r = render(scenario);
        assertTrue(r.ofKind("Secret").isEmpty(), "the chart renders no Secret: " + r.names().keySet());
        for (String name : SERVICES) {
            for (EnvVar var : container(r.one(Deployment.class, name)).getEnv()) {
                if (var.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY).*")) {
                    assertNull(var.getValue(), name + " " + var.getName() + " has a literal value");
                    assertNotNull(var.getValueFrom().getSecretKeyRef(), name + " " + var.getName());
                }
            }
        }
        // a ConfigMap may name a Secret (the sub-agents' credentials), never hold one
        r.all(ConfigMap.class).forEach(cm -> cm.getData().keySet().stream().filter(k -> !k.endsWith("_CREDENTIALS_SECRET"))
                .forEach(k -> assertFalse(k.matches(".*(PASSWORD|SECRET$|TOKEN$|API_KEY).*"), cm.getMetadata().getName() + " holds " + k)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rbacIsNamespacedAndLeastPrivilege(Path scenario) {
        Chart.Rendered r = render(scenario);
        assertTrue(r.ofKind("ClusterRole").isEmpty() && r.ofKind("ClusterRoleBinding").isEmpty(), "no cluster-wide RBAC");
        List<Role> roles = r.all(Role.class);
        assertEquals(1, roles.size(), "one Role");
        Role role = roles.get(0);
        assertEquals(Chart.NAMESPACE, role.getMetadata().getNamespace());
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("batch/jobs", Set.of("create", "get", "list", "watch", "delete"));
        expected.put("/pods", Set.of("create", "get", "list", "watch", "delete", "deletecollection"));
        expected.put("/pods/log", Set.of("get", "list", "watch"));
        expected.put("/persistentvolumeclaims", Set.of("create", "get", "list", "watch", "delete"));
        expected.put("/secrets", Set.of("create", "get", "list", "watch", "delete", "deletecollection", "update", "patch"));
        expected.put("mainloop.io/agenttasks", Set.of("get", "list", "watch", "create", "delete", "patch", "update"));
        expected.put("mainloop.io/agenttasks/status", Set.of("get", "patch", "update"));
        expected.put("mainloop.io/agenttasks/finalizers", Set.of("update"));
        expected.put("/events", Set.of("create", "patch"));
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        for (PolicyRule rule : role.getRules()) {
            assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
            assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    assertNotEquals("*", resource);
                    Set<String> verbs = actual.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>());
                    rule.getVerbs().forEach(v -> assertTrue(verbs.add(v), "verb twice: " + group + "/" + resource + " " + v));
                }
            }
        }
        assertEquals(expected, actual, "the Role's rules, exactly");

        List<RoleBinding> bindings = r.all(RoleBinding.class);
        assertEquals(1, bindings.size());
        RoleBinding binding = bindings.get(0);
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(1, binding.getSubjects().size());
        assertEquals(AGENT, binding.getSubjects().get(0).getName(), "bound to agent-service's service account only");
        assertTrue(bindings.stream().flatMap(b -> b.getSubjects().stream()).noneMatch(s -> s.getName().equals(SUB_AGENT_SA)),
                "the sub-agent service account has no RoleBinding");

        ServiceAccount subAgent = r.one(ServiceAccount.class, SUB_AGENT_SA);
        assertEquals(Boolean.FALSE, subAgent.getAutomountServiceAccountToken(), "the sub-agents' token is not mounted");
        assertEquals(Boolean.FALSE, r.one(ServiceAccount.class, "mainloop").getAutomountServiceAccountToken());

        for (Map.Entry<String, PodSpec> pod : podSpecs(r).entrySet()) {
            boolean agent = pod.getKey().equals("Deployment/" + AGENT);
            assertEquals(agent ? AGENT : "mainloop", pod.getValue().getServiceAccountName(), pod.getKey());
            assertEquals(agent, pod.getValue().getAutomountServiceAccountToken(), pod.getKey() + ": API token only for agent-service");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void networkPoliciesDenyByDefaultAndAllowOnlyMainloopsFlows(Path scenario) {
        Chart.Rendered r = render(scenario);
        NetworkPolicy deny = r.one(NetworkPolicy.class, "mainloop-default-deny");
        assertEquals(Map.of("app.kubernetes.io/part-of", "mainloop"), deny.getSpec().getPodSelector().getMatchLabels(),
                "default deny covers every mainloop pod, the sub-agents' too");
        assertEquals(List.of("Ingress", "Egress"), deny.getSpec().getPolicyTypes());
        assertTrue(isEmpty(deny.getSpec().getIngress()) && isEmpty(deny.getSpec().getEgress()));

        NetworkPolicy dns = r.one(NetworkPolicy.class, "mainloop-dns");
        assertEquals(List.of("Egress"), dns.getSpec().getPolicyTypes());
        assertTrue(dns.getSpec().getEgress().get(0).getPorts().stream().allMatch(p -> p.getPort().getIntVal() == 53));

        Set<String> extraFrom = new TreeSet<>();
        if (scenario.getFileName().toString().startsWith("restricted-egress")) {
            extraFrom.add("ns:ingress-nginx");
            extraFrom.add("ns:monitoring");
        }
        Set<String> gatewayFrom = new TreeSet<>(Set.of("cloudflared", "helm-test"));
        assertFalse(r.ofKind("Pod").isEmpty(), "the scenarios render the test pod");
        gatewayFrom.addAll(extraFrom);
        assertEquals(gatewayFrom, ingressPeers(r, GATEWAY, 8080), "the gateway: only from cloudflared (and the test pod)");
        Set<String> memoryFrom = new TreeSet<>(Set.of("gateway-service", "agent-service", "main-thread-turn"));
        memoryFrom.addAll(extraFrom.stream().filter(p -> p.equals("ns:monitoring")).toList());
        assertEquals(memoryFrom, ingressPeers(r, MEMORY, 8081), "memory: from the gateway, agent-service and turn pods");
        Set<String> agentFrom = new TreeSet<>(Set.of("gateway-service", "sub-agent", "main-thread-turn"));
        agentFrom.addAll(extraFrom.stream().filter(p -> p.equals("ns:monitoring")).toList());
        assertEquals(agentFrom, ingressPeers(r, AGENT, 8082), "agent: from the gateway, the sub-agents and turn pods");
        Set<String> schedulerFrom = new TreeSet<>(Set.of("gateway-service", "agent-service", "main-thread-turn"));
        schedulerFrom.addAll(extraFrom.stream().filter(p -> p.equals("ns:monitoring")).toList());
        assertEquals(schedulerFrom, ingressPeers(r, SCHEDULER, 8083), "scheduler: from the gateway, agent-service and turn pods");

        // every ingress rule names its peers and ports: none is open to all
        for (NetworkPolicy np : r.all(NetworkPolicy.class)) {
            for (NetworkPolicyIngressRule rule : nullToEmpty(np.getSpec().getIngress())) {
                assertFalse(isEmpty(rule.getFrom()), np.getMetadata().getName() + ": an ingress rule without peers");
                assertFalse(isEmpty(rule.getPorts()), np.getMetadata().getName() + ": an ingress rule without ports");
            }
            for (NetworkPolicyEgressRule rule : nullToEmpty(np.getSpec().getEgress())) {
                assertFalse(isEmpty(rule.getPorts()), np.getMetadata().getName() + ": an egress rule without ports");
            }
        }

        // egress to PostgreSQL and Kafka from the four services
        for (String name : SERVICES) {
            Set<Integer> ports = egressPorts(r.one(NetworkPolicy.class, name));
            assertTrue(ports.contains(5432) && ports.contains(9092), name + " egress " + ports);
        }
        assertTrue(egressPorts(r.one(NetworkPolicy.class, AGENT)).containsAll(List.of(443, 6443, 8081, 8083)),
                "agent-service: the API server, HTTPS, memory's and scheduler's MCP");
        assertTrue(egressPorts(r.one(NetworkPolicy.class, GATEWAY)).containsAll(List.of(8081, 8082, 8083)));
        assertFalse(egressPorts(r.one(NetworkPolicy.class, MEMORY)).contains(443), "memory-service needs no internet");

        NetworkPolicy subAgents = r.one(NetworkPolicy.class, "mainloop-sub-agents");
        assertEquals(Map.of("app.kubernetes.io/name", "agent-task", "app.kubernetes.io/component", "sub-agent",
                "app.kubernetes.io/part-of", "mainloop"), subAgents.getSpec().getPodSelector().getMatchLabels(),
                "the labels AgentTaskJobs puts on the sub-agent pods");
        assertTrue(isEmpty(subAgents.getSpec().getIngress()), "nothing reaches a sub-agent");
        NetworkPolicyEgressRule toAgent = subAgents.getSpec().getEgress().get(0);
        assertEquals("agent-service", toAgent.getTo().get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));
        assertEquals(8082, toAgent.getPorts().get(0).getPort().getIntVal());

        NetworkPolicy turnPods = r.one(NetworkPolicy.class, "mainloop-turn-pods");
        assertEquals(Map.of("app.kubernetes.io/name", "agent-turn", "app.kubernetes.io/component", "main-thread-turn",
                "app.kubernetes.io/part-of", "mainloop"), turnPods.getSpec().getPodSelector().getMatchLabels(),
                "the labels TurnPods puts on the main thread's turn pods");
        assertTrue(isEmpty(turnPods.getSpec().getIngress()), "nothing reaches a turn pod");
        Set<Integer> turnPorts = egressPorts(turnPods);
        assertTrue(turnPorts.containsAll(List.of(8081, 8082, 8083)), "the MCP tools of the three services: " + turnPorts);
        for (int backend : List.of(5432, 9092, 9093, 6443)) {
            assertFalse(turnPorts.contains(backend), "a turn pod never reaches port " + backend);
        }
        assertEquals(Set.of("memory-service"), egressPeers(turnPods, 8081));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void pdbsSetExactlyOneBoundAndSelectTheirDeployment(Path scenario) {
        Chart.Rendered r = render(scenario);
        List<PodDisruptionBudget> pdbs = r.all(PodDisruptionBudget.class);
        assertEquals(Set.of(GATEWAY, MEMORY, AGENT, SCHEDULER, CLOUDFLARED),
                pdbs.stream().map(p -> p.getMetadata().getName()).collect(java.util.stream.Collectors.toSet()));
        for (PodDisruptionBudget pdb : pdbs) {
            boolean min = pdb.getSpec().getMinAvailable() != null;
            boolean max = pdb.getSpec().getMaxUnavailable() != null;
            assertTrue(min ^ max, pdb.getMetadata().getName() + ": exactly one of minAvailable and maxUnavailable");
            LabelSelector selector = pdb.getSpec().getSelector();
            assertEquals(r.one(Deployment.class, pdb.getMetadata().getName()).getSpec().getSelector(), selector);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyObjectCarriesTheStandardLabelsAndPodsRollOnConfigChanges(Path scenario) {
        Chart.Rendered r = render(scenario);
        for (HasMetadata o : r.objects) {
            Map<String, String> labels = o.getMetadata().getLabels();
            String where = o.getKind() + "/" + o.getMetadata().getName();
            assertNotNull(labels, where);
            assertEquals("mainloop", labels.get("app.kubernetes.io/name"), where);
            assertEquals(Chart.RELEASE, labels.get("app.kubernetes.io/instance"), where);
            assertEquals("Helm", labels.get("app.kubernetes.io/managed-by"), where);
            assertEquals("mainloop-0.1.0", labels.get("helm.sh/chart"), where);
            boolean infra = o instanceof GenericKubernetesResource;
            assertEquals(infra ? null : "mainloop", labels.get("app.kubernetes.io/part-of"),
                    where + (infra ? ": operator-run infrastructure is not a mainloop pod owner" : ""));
            assertEquals(Chart.NAMESPACE, o.getMetadata().getNamespace(), where);
        }
        for (String name : SERVICES) {
            Deployment d = r.one(Deployment.class, name);
            assertTrue(d.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config").matches("[a-f0-9]{64}"), name);
            assertEquals(name, d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
                    .getConfigMapRef().getName(), name + " reads its ConfigMap");
        }
    }

    // ---------------------------------------------------------------- scenario by scenario

    @Test
    void defaultValues() {
        Chart.Rendered r = scenario("default");
        assertTrue(r.ofKind("HorizontalPodAutoscaler").isEmpty(), "no HPA unless enabled");
        assertTrue(r.ofKind("Cluster").isEmpty() && r.ofKind("Kafka").isEmpty() && r.ofKind("KafkaNodePool").isEmpty(),
                "no operator resources unless enabled");
        assertEquals(1, r.one(Deployment.class, GATEWAY).getSpec().getReplicas());
        assertEquals(1, r.one(Deployment.class, AGENT).getSpec().getReplicas());
        assertEquals(2, r.one(Deployment.class, CLOUDFLARED).getSpec().getReplicas());
        Map<String, String> gateway = env(r, GATEWAY);
        assertEquals("false", gateway.get("MAINLOOP_GATEWAY_ACCESS_ENABLED"));
        assertFalse(gateway.containsKey("MAINLOOP_GATEWAY_ACCESS_AUDIENCE"));
        assertEquals("mainloop-owner-token", envVar(r.one(Deployment.class, GATEWAY), "MAINLOOP_GATEWAY_OWNER_TOKEN")
                .getValueFrom().getSecretKeyRef().getName());
        assertFalse(gateway.containsKey("MAINLOOP_GATEWAY_PUSH_VAPID_PRIVATE_KEY"), "VAPID keys: the gateway makes its own");
        assertEquals("jdbc:postgresql://postgresql:5432/mainloop", gateway.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("mainloop", gateway.get("QUARKUS_DATASOURCE_USERNAME"));
        assertEquals("kafka:9092", gateway.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("UTC", env(r, MEMORY).get("MAINLOOP_MEMORY_TIME_ZONE"));
        assertEquals("10", env(r, AGENT).get("MAINLOOP_AGENT_TASKS_MAX_CONCURRENT"));
        assertEquals("true", env(r, AGENT).get("MAINLOOP_AGENT_SANDBOX_ENABLED"));
        assertEquals("/var/run/secrets", env(r, AGENT).get("MAINLOOP_AGENT_SANDBOX_DENY_PATHS"));
        assertTrue(env(r, AGENT).get("JAVA_TOOL_OPTIONS").contains("-Duser.home=/home/mainloop"));
        assertTrue(env(r, MEMORY).get("JAVA_TOOL_OPTIONS").contains("--add-modules=jdk.incubator.vector"),
                "memory-service's search compares vectors with SIMD");

        var claim = r.one(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, "mainloop-agent-workspaces");
        assertEquals("keep", claim.getMetadata().getAnnotations().get("helm.sh/resource-policy"), "kept on uninstall");
        assertEquals("Prune=false,Delete=false", claim.getMetadata().getAnnotations().get("argocd.argoproj.io/sync-options"));

        Pod test = r.one(Pod.class, TEST_POD);
        assertEquals("test", test.getMetadata().getAnnotations().get(Chart.HOOK_MARKER), "a helm test hook");
        Container curl = test.getSpec().getContainers().get(0);
        assertTrue(curl.getCommand().contains("http://mainloop-gateway:8080/q/health/ready"), curl.getCommand().toString());
        assertEquals("Never", test.getSpec().getRestartPolicy());
    }

    @Test
    void accessOnly() {
        Chart.Rendered r = scenario("access-only");
        Map<String, String> gateway = env(r, GATEWAY);
        assertEquals("true", gateway.get("MAINLOOP_GATEWAY_ACCESS_ENABLED"));
        assertEquals("https://myteam.cloudflareaccess.com", gateway.get("MAINLOOP_GATEWAY_ACCESS_TEAM_DOMAIN"));
        assertEquals("4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2", gateway.get("MAINLOOP_GATEWAY_ACCESS_AUDIENCE"));
        assertEquals("owner@example.com,0a1b2c3d4e5f.access", gateway.get("MAINLOOP_GATEWAY_ACCESS_ALLOWED_IDENTITIES"));
        assertFalse(gateway.containsKey("MAINLOOP_GATEWAY_OWNER_TOKEN"), "no owner token");
        assertSecretRef(r, GATEWAY, "MAINLOOP_GATEWAY_PUSH_VAPID_PUBLIC_KEY");
        assertSecretRef(r, GATEWAY, "MAINLOOP_GATEWAY_PUSH_VAPID_PRIVATE_KEY");
        assertEquals("Europe/Lisbon", env(r, MEMORY).get("MAINLOOP_MEMORY_TIME_ZONE"));
        assertEquals("Europe/Lisbon", env(r, SCHEDULER).get("MAINLOOP_SCHEDULER_TIME_ZONE"));
        assertTrue(egressPorts(r.one(NetworkPolicy.class, GATEWAY)).contains(443), "the gateway fetches the Access keys");
    }

    @Test
    void cloudNativePgAndStrimzi() {
        Chart.Rendered r = scenario("cnpg-strimzi");
        GenericKubernetesResource cluster = (GenericKubernetesResource) r.ofKind("Cluster").get(0);
        assertEquals("postgresql.cnpg.io/v1", cluster.getApiVersion());
        assertEquals("mainloop-postgresql", cluster.getMetadata().getName());
        assertEquals(2, ((Number) cluster.get("spec", "instances")).intValue());
        assertEquals("mainloop", cluster.get("spec", "bootstrap", "initdb", "database"));
        assertEquals("20Gi", cluster.get("spec", "storage", "size"));
        assertEquals("30d", cluster.get("spec", "backup", "retentionPolicy"));

        GenericKubernetesResource kafka = (GenericKubernetesResource) r.ofKind("Kafka").get(0);
        GenericKubernetesResource pool = (GenericKubernetesResource) r.ofKind("KafkaNodePool").get(0);
        assertEquals("kafka.strimzi.io/v1beta2", kafka.getApiVersion());
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/node-pools"));
        assertEquals("mainloop-kafka", pool.getMetadata().getLabels().get("strimzi.io/cluster"));
        assertEquals(List.of("controller", "broker"), pool.get("spec", "roles"), "KRaft: no ZooKeeper");
        assertEquals(3, ((Number) pool.get("spec", "replicas")).intValue());
        assertEquals(3, ((Number) kafka.get("spec", "kafka", "config", "default.replication.factor")).intValue());
        assertEquals(2, ((Number) kafka.get("spec", "kafka", "config", "min.insync.replicas")).intValue(), "acks=all survives a broker");
        assertEquals(336, ((Number) kafka.get("spec", "kafka", "config", "log.retention.hours")).intValue(), "extra config kept");
        for (HasMetadata infra : List.of(cluster, kafka, pool)) {
            assertEquals("-1", infra.getMetadata().getAnnotations().get("argocd.argoproj.io/sync-wave"), "before the services");
        }

        for (String name : SERVICES) {
            Map<String, String> env = env(r, name);
            assertEquals("jdbc:postgresql://mainloop-postgresql-rw:5432/mainloop", env.get("QUARKUS_DATASOURCE_JDBC_URL"), name);
            assertEquals("mainloop-kafka-kafka-bootstrap:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"), name);
            Deployment d = r.one(Deployment.class, name);
            assertEquals("mainloop-postgresql-app", envVar(d, "QUARKUS_DATASOURCE_USERNAME").getValueFrom().getSecretKeyRef().getName());
            assertEquals("username", envVar(d, "QUARKUS_DATASOURCE_USERNAME").getValueFrom().getSecretKeyRef().getKey());
            assertEquals("password", envVar(d, "QUARKUS_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getKey());
            assertFalse(r.one(ConfigMap.class, name).getData().containsKey("QUARKUS_DATASOURCE_USERNAME"));
            NetworkPolicy np = r.one(NetworkPolicy.class, name);
            assertTrue(egressPeers(np, 5432).contains("cnpg.io/cluster=mainloop-postgresql"), name + " to the database's pods");
            assertTrue(egressPeers(np, 9092).contains("strimzi.io/cluster=mainloop-kafka"), name + " to the brokers");
        }
    }

    @Test
    void multipleReplicasWithAnHpa() {
        Chart.Rendered r = scenario("multi-replica-hpa");
        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, GATEWAY);
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(GATEWAY, hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(2, hpa.getSpec().getMinReplicas());
        assertEquals(6, hpa.getSpec().getMaxReplicas());
        assertEquals(List.of("cpu", "memory"), hpa.getSpec().getMetrics().stream().map(m -> m.getResource().getName()).toList());
        assertNull(r.one(Deployment.class, GATEWAY).getSpec().getReplicas(), "the HPA owns the gateway's replicas");
        assertEquals(2, r.one(Deployment.class, MEMORY).getSpec().getReplicas());
        assertEquals(2, r.one(Deployment.class, SCHEDULER).getSpec().getReplicas());
        assertEquals(1, r.one(Deployment.class, AGENT).getSpec().getReplicas(), "agent-service stays single");
        assertEquals(1, r.one(PodDisruptionBudget.class, GATEWAY).getSpec().getMinAvailable().getIntVal());
        assertEquals(2, r.one(PodDisruptionBudget.class, CLOUDFLARED).getSpec().getMinAvailable().getIntVal());
        assertEquals(1, r.one(Deployment.class, GATEWAY).getSpec().getTemplate().getSpec().getTopologySpreadConstraints().size());
    }

    @Test
    void restrictedEgress() {
        Chart.Rendered r = scenario("restricted-egress");
        assertTrue(egressPeers(r.one(NetworkPolicy.class, MEMORY), 5432).contains("cidr=10.20.0.0/24"));
        assertTrue(egressPeers(r.one(NetworkPolicy.class, MEMORY), 9093).contains("ns:kafka"));
        assertTrue(egressPeers(r.one(NetworkPolicy.class, AGENT), 6443).contains("cidr=172.20.0.1/32"));
        NetworkPolicy subAgents = r.one(NetworkPolicy.class, "mainloop-sub-agents");
        assertEquals(2, subAgents.getSpec().getEgress().size(), "agent-service and the extra rule, no internet");
        assertTrue(egressPeers(subAgents, 443).contains("cidr=140.82.112.0/20"));
        assertTrue(container(r.one(Deployment.class, GATEWAY)).getImage()
                .endsWith("@sha256:0000000000000000000000000000000000000000000000000000000000000000"));
    }

    @Test
    void withoutNetworkPoliciesCloudflaredOrTestsNoneIsRendered() {
        Chart.Rendered r = Chart.template(Map.of("networkPolicy.enabled", "false", "cloudflared.enabled", "false",
                "tests.enabled", "false"));
        assertTrue(r.ofKind("NetworkPolicy").isEmpty());
        assertTrue(r.all(Deployment.class).stream().noneMatch(d -> d.getMetadata().getName().equals(CLOUDFLARED)));
        assertTrue(r.ofKind("Pod").isEmpty());
        assertEquals(4, r.all(PodDisruptionBudget.class).size());
        Chart.Rendered noTests = Chart.template(Map.of("tests.enabled", "false"));
        assertEquals(Set.of("cloudflared"), ingressPeers(noTests, GATEWAY, 8080), "without the test pod, cloudflared only");
    }

    @Test
    void aConfigChangeRollsOnlyTheAffectedPods() {
        Chart.Rendered before = scenario("default");
        Chart.Rendered after = Chart.template(Map.of("global.timeZone", "Asia/Tokyo"));
        for (String name : SERVICES) {
            String a = checksum(before, name);
            String b = checksum(after, name);
            if (name.equals(MEMORY) || name.equals(SCHEDULER)) {
                assertNotEquals(a, b, name + " rolls");
            } else {
                assertEquals(a, b, name + " does not roll");
            }
        }
    }

    @Test
    void settingsThatCannotWorkFailTheRendering() {
        assertRenderFails(Map.of("gateway.imagee.tag", "1.0"), "additional properties 'imagee' not allowed");
        assertRenderFails(Map.of("networkPolicy.enable", "true"), "additional properties 'enable' not allowed");
        assertRenderFails(Map.of("gateway.image.tag", "latest"), "/gateway/image/tag");
        assertRenderFails(Map.of("scheduler.replicaCount", "3"), "/scheduler/replicaCount");
        assertRenderFails(Map.of("gateway.pdb.minAvailable", "1"), "either minAvailable or maxUnavailable");
        assertRenderFails(Map.of("gateway.ownerToken.existingSecret", ""), "needs an authentication method");
        assertRenderFails(Map.of("gateway.access.enabled", "true", "gateway.access.teamDomain", "https://myteam.cloudflareaccess.com",
                "gateway.access.allowedIdentities[0]", "owner@example.com"), "AUD tag");
        assertRenderFails(Map.of("gateway.access.enabled", "true", "gateway.access.teamDomain", "https://example.com",
                "gateway.access.audience", "x", "gateway.access.allowedIdentities[0]", "owner@example.com"), "teamDomain");
        assertRenderFails(Map.of("agent.replicaCount", "2"), "ReadWriteMany");
        assertRenderFails(Map.of("gateway.autoscaling.enabled", "true", "gateway.autoscaling.targetCPUUtilizationPercentage", "0"),
                "targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage");
        assertRenderFails(Map.of("mcp.existingSecret", ""), "mcp.existingSecret is required");
        assertRenderFails(Map.of("postgresql.existingSecret", ""), "postgresql.existingSecret is required");
    }

    static void assertRenderFails(Map<String, String> set, String message) {
        Exception e = assertThrows(Exception.class, () -> Chart.templateText(null, set), set.toString());
        assertTrue(e.getMessage().contains(message), set + ": expected \"" + message + "\" in: " + e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    /** The pod specs: every Deployment's template and every bare Pod (the test hook). */
    static Map<String, PodSpec> podSpecs(Chart.Rendered r) {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        r.all(Deployment.class).forEach(d -> pods.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        r.all(Pod.class).forEach(p -> pods.put("Pod/" + p.getMetadata().getName(), p.getSpec()));
        return pods;
    }

    static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The tag of an image reference, or null without one. */
    static String tag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : null;
    }

    /** A container's environment: its ConfigMaps' entries (envFrom), then its own env (values or "<secret>"). */
    static Map<String, String> env(Chart.Rendered r, String deployment) {
        Container c = container(r.one(Deployment.class, deployment));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : nullToEmpty(c.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                env.putAll(r.one(ConfigMap.class, from.getConfigMapRef().getName()).getData());
            }
        }
        for (EnvVar var : nullToEmpty(c.getEnv())) {
            env.put(var.getName(), var.getValue() != null ? var.getValue() : "<" + var.getValueFrom() + ">");
        }
        return env;
    }

    static EnvVar envVar(Deployment d, String name) {
        return container(d).getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + " has no env " + name));
    }

    static void assertSecretRef(Chart.Rendered r, String deployment, String name) {
        EnvVar var = envVar(r.one(Deployment.class, deployment), name);
        assertNull(var.getValue(), name);
        assertNotNull(var.getValueFrom().getSecretKeyRef(), deployment + " " + name + " comes from a Secret");
    }

    static void assertProbe(Probe probe, String path, String what) {
        assertNotNull(probe, what);
        assertEquals(path, probe.getHttpGet().getPath(), what);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), what);
        assertNotNull(probe.getTimeoutSeconds(), what);
    }

    static String checksum(Chart.Rendered r, String deployment) {
        return r.one(Deployment.class, deployment).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    /** The peers allowed into a component's policy on a port, named by component label, "sub-agent", or "ns:<name>". */
    static Set<String> ingressPeers(Chart.Rendered r, String policy, int port) {
        NetworkPolicy np = r.one(NetworkPolicy.class, policy);
        Set<String> peers = new TreeSet<>();
        for (NetworkPolicyIngressRule rule : nullToEmpty(np.getSpec().getIngress())) {
            assertTrue(rule.getPorts().stream().allMatch(p -> p.getPort().getIntVal() == port), policy + " ingress only on " + port);
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                peers.add(peerName(peer));
            }
        }
        return peers;
    }

    static Set<String> egressPeers(NetworkPolicy np, int port) {
        Set<String> peers = new TreeSet<>();
        for (NetworkPolicyEgressRule rule : nullToEmpty(np.getSpec().getEgress())) {
            if (rule.getPorts().stream().anyMatch(p -> Objects.equals(p.getPort().getIntVal(), port))) {
                if (isEmpty(rule.getTo())) {
                    peers.add("anywhere");
                }
                nullToEmpty(rule.getTo()).forEach(p -> peers.add(peerName(p)));
            }
        }
        return peers;
    }

    static Set<Integer> egressPorts(NetworkPolicy np) {
        Set<Integer> ports = new TreeSet<>();
        for (NetworkPolicyEgressRule rule : nullToEmpty(np.getSpec().getEgress())) {
            for (NetworkPolicyPort p : rule.getPorts()) {
                ports.add(p.getPort().getIntVal());
            }
        }
        return ports;
    }

    static String peerName(NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            return "cidr=" + peer.getIpBlock().getCidr();
        }
        if (peer.getNamespaceSelector() != null && peer.getPodSelector() == null) {
            return "ns:" + peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
        }
        assertNull(peer.getNamespaceSelector(), "a pod peer stays in the namespace: " + peer);
        Map<String, String> labels = new HashMap<>(peer.getPodSelector().getMatchLabels());
        if ("sub-agent".equals(labels.get("app.kubernetes.io/component"))
                || "main-thread-turn".equals(labels.get("app.kubernetes.io/component"))) {
            return labels.get("app.kubernetes.io/component");
        }
        if (labels.containsKey("app.kubernetes.io/component")) {
            assertEquals(Chart.RELEASE, labels.get("app.kubernetes.io/instance"), "a peer of this release: " + labels);
            return labels.get("app.kubernetes.io/component");
        }
        return String.join(",", new LinkedHashSet<>(labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }

    static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
