package io.mainloop.agent.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.List;

/** The AgentTask CRD as checked in for the chart: the generated one with its printer columns in the order kubectl should show them. */
final class AgentTaskCrd {

    private AgentTaskCrd() {
    }

    /**
     * {@code generatedYaml} (the fabric8 CRD generator's output, which sorts printer columns by JSON
     * path) with every version's printer columns in {@code order} (by name), as YAML with a header.
     */
    static String withColumnOrder(String generatedYaml, List<String> order) {
        CustomResourceDefinition crd = Serialization.unmarshal(generatedYaml, CustomResourceDefinition.class);
        crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
                .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> order.indexOf(c.getName()))));
        return "# Generated from the AgentTask classes (fabric8 CRD generator), printer columns in kubectl's order.\n"
                + "# Do not edit: AgentTaskOperatorTest writes it to agent-service/target/crd-for-helm/.\n"
                + Serialization.asYaml(crd);
    }
}
