package io.mainloop.agent.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of Kubernetes mode ({@code mainloop.agent.kubernetes.*}, or {@code MAINLOOP_AGENT_KUBERNETES_*}
 * variables): how an AgentTask's Job is built. Used only when {@code mainloop.agent.tasks.mode=kubernetes}.
 */
@ConfigMapping(prefix = "mainloop.agent.kubernetes")
public interface KubernetesConfig {

    /** The container image with the {@code claude} CLI (and git); required in Kubernetes mode. */
    Optional<String> image();

    /** The init container's image that clones the repository (runs {@code git clone}). */
    @WithDefault("alpine/git:2.47.2")
    String gitImage();

    /** The containers' {@code imagePullPolicy}. */
    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** The pods' service account: one with no API rights (its token is not mounted either). */
    @WithDefault("mainloop-agent-task")
    String serviceAccount();

    /**
     * The Secret whose optional keys {@code CLAUDE_CODE_OAUTH_TOKEN}, {@code ANTHROPIC_API_KEY} and
     * {@code GH_TOKEN} become the CLI's environment (only its name is in the Job; never its values).
     */
    @WithDefault("mainloop-agent-credentials")
    String credentialsSecret();

    /** The non-root user id the containers run as. */
    @WithDefault("10001")
    long runAsUser();

    /** The Job's {@code backoffLimit}: pod failures retried (a CLI exiting non-zero fails the Job at once). */
    @WithDefault("1")
    int backoffLimit();

    /** The Job's {@code ttlSecondsAfterFinished}: how long an ended Job and its pod (and log) are kept. */
    @WithDefault("24h")
    Duration jobTtlAfterFinished();

    /**
     * The URL of agent-service's MCP endpoint as the Jobs' pods reach it, e.g.
     * {@code http://mainloop-agent.mainloop.svc:8082/mcp}. With it (and the MCP secret) a sub-agent
     * gets the {@code ask_owner} tool; without it, it runs without tools of mainloop's.
     */
    Optional<String> mcpUrl();

    /** The workspace each AgentTask keeps across its runs (a PersistentVolumeClaim it owns). */
    Workspace workspace();

    /** CPU and memory per profile name; {@code small}, {@code medium} and {@code large} have built-in defaults. */
    Map<String, Profile> profiles();

    /** Values for fields an AgentTask leaves empty. */
    Defaults defaults();

    /**
     * The PersistentVolumeClaim of an AgentTask: its workspace and the CLI's home (where Claude Code
     * keeps the session transcript that a run after the owner's answer resumes with {@code --resume}).
     * Deleted with the AgentTask (ownerReference).
     */
    interface Workspace {

        /** Requested size, a Kubernetes quantity. */
        @WithDefault("2Gi")
        String size();

        /** The StorageClass; empty: the cluster's default. */
        Optional<String> storageClass();

        /** The access mode; one pod at a time uses it. */
        @WithDefault("ReadWriteOnce")
        String accessMode();
    }

    /** Requests and limits (equal) of a profile, in Kubernetes quantities. */
    interface Profile {

        /** CPU, e.g. {@code 250m} or {@code 1}. */
        String cpu();

        /** Memory, e.g. {@code 512Mi}. */
        String memory();
    }

    /** Defaults of an AgentTask's spec. */
    interface Defaults {

        /** The parent thread of an AgentTask without {@code threadId}: the owner's main thread. */
        @WithDefault("main")
        String threadId();

        /** The profile. */
        @WithDefault("small")
        String profile();

        /** The CLI's {@code --max-turns}. */
        @WithDefault("50")
        int maxTurns();

        /** The Job's {@code activeDeadlineSeconds}. */
        @WithDefault("1h")
        Duration deadline();

        /** The CLI's {@code --max-budget-usd}. */
        @WithDefault("5")
        BigDecimal maxBudgetUsd();

        /** The CLI's {@code --model}; absent: the CLI's default. */
        Optional<String> model();
    }
}
