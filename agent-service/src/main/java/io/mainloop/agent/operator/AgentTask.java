package io.mainloop.agent.operator;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A sub-agent task run as a Kubernetes Job ({@code agenttasks.mainloop.io/v1}, short name
 * {@code at}): its spec says what Claude Code is asked to do and within which limits, its status
 * follows the one Job that runs it (docs/tasks.md, "Kubernetes mode"). The CRD is generated from
 * this class at build time and checked in at {@code helm/mainloop/crds/agenttasks.mainloop.io-v1.yml}.
 */
@Group(AgentTask.GROUP)
@Version(AgentTask.VERSION)
@ShortNames("at")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "MODEL", jsonPath = ".spec.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "COST", jsonPath = ".status.costUsd", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AgentTask extends CustomResource<AgentTaskSpec, AgentTaskStatus> implements Namespaced {

    /** The API group. */
    public static final String GROUP = "mainloop.io";
    /** The API version. */
    public static final String VERSION = "v1";
    /** The label (on the AgentTask and its Job and pod) naming the task's id. */
    public static final String TASK_ID_LABEL = "mainloop.io/task-id";
    /** The label (on a Job and its pod) naming the run: 0 the first, n the one resumed with the n-th answer. */
    public static final String RUN_LABEL = "mainloop.io/run";
    /** The annotation naming the task's attempt the AgentTask runs (set by agent-service; absent: 1). */
    public static final String ATTEMPT_ANNOTATION = "mainloop.io/attempt";

    /**
     * No status until the reconciler writes one, as the API server has it (a create drops the
     * status): the first status patch then adds the whole status rather than fields of one that
     * is not stored (which fails once a metadata patch, e.g. the finalizer's, has been applied).
     */
    @Override
    protected AgentTaskStatus initStatus() {
        return null;
    }
}
