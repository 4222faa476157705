package io.mainloop.agent.task;

import io.mainloop.contracts.TaskPhase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A sub-agent task (table {@code task}); see {@code docs/tasks.md}. */
@Entity
@Table(name = "task")
public class TaskEntity {

    @Id
    public UUID id;

    /** The parent thread its result goes back to. */
    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String prompt;

    /** The CLI's {@code --model}; null: the default. */
    public String model;

    @Column(name = "repository_url")
    public String repositoryUrl;

    @Column(name = "repository_branch")
    public String repositoryBranch;

    /** A directory inside the workspace to run in; null: the workspace. */
    public String workdir;

    /** {@code small}, {@code medium} or {@code large}. */
    @Column(nullable = false)
    public String profile;

    @Column(name = "max_turns", nullable = false)
    public int maxTurns;

    @Column(name = "deadline_seconds", nullable = false)
    public long deadlineSeconds;

    @Column(name = "max_budget_usd", nullable = false)
    public BigDecimal maxBudgetUsd;

    /** {@code assistant}, {@code api} or {@code kubernetes}. */
    @Column(nullable = false)
    public String source;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskPhase phase;

    /** Runs so far (a retry or an answered question starts another). */
    @Column(nullable = false)
    public int attempt;

    /** The Claude Code session (chosen up front; an answer resumes it). */
    @Column(name = "session_id")
    public UUID sessionId;

    /** Local mode: the CLI's process id (its process group leader). */
    public Long pid;

    /** Cluster mode: the AgentTask's name. */
    @Column(name = "resource_name")
    public String resourceName;

    public String result;

    public String error;

    /** The open question ({@code NeedsInput}), or the last one asked. */
    public String question;

    /** The owner's answer to {@link #question}. */
    public String answer;

    @Column(name = "input_tokens")
    public Long inputTokens;

    @Column(name = "output_tokens")
    public Long outputTokens;

    @Column(name = "cost_usd")
    public BigDecimal costUsd;

    /** Wall time of its runs, ms. */
    @Column(name = "duration_ms")
    public Long durationMs;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** Whether the owner has seen its end (the inbox keeps it until then). */
    @Column(nullable = false)
    public boolean seen;

    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;

    /** Whether its {@code task.finished} event was acknowledged by Kafka (else it is sent again). */
    @Column(name = "end_published", nullable = false)
    public boolean endPublished;
}
