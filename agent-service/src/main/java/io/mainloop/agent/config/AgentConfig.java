package io.mainloop.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of agent-service ({@code mainloop.agent.*}, or {@code MAINLOOP_AGENT_*} variables). */
@ConfigMapping(prefix = "mainloop.agent")
public interface AgentConfig {

    /** The {@code claude} executable; when absent, {@code claude} on the PATH. */
    Optional<Path> claudePath();

    /** Longest a turn may run before its CLI process group is killed. */
    @WithDefault("10m")
    Duration turnTimeout();

    /**
     * How long the files a turn leaves in its thread's workspace are kept (its input, output and
     * stderr, and the CLI's session transcript, logs and temp files): older ones are deleted
     * hourly. A shorter setting than a day counts as a day.
     */
    @WithDefault("7d")
    Duration turnFilesRetention();

    /** Parent of each thread's persistent workspace (the CLI's working directory, with its own HOME). */
    @WithDefault("${user.home}/.mainloop/workspaces")
    Path workspaceDir();

    /** The model the CLI uses ({@code --model}: an alias such as {@code sonnet}, or a full id); else the CLI's default. */
    Optional<String> model();

    /** The CLI's {@code --permission-mode}; {@code bypassPermissions} lets the agent use its tools unattended. */
    @WithDefault("bypassPermissions")
    String permissionMode();

    /**
     * The CLI's built-in tools for main-thread turns ({@code --tools}: comma-separated names, or
     * {@code default} for Claude Code's own set). mainloop's MCP tools (memory, tasks, schedules)
     * come on top, and with a list they reach the model directly; with {@code default} Claude Code
     * 2.1 defers them (and web and file search) behind its ToolSearch tool, one more model call
     * before each use. The default list leaves out the built-in tools that duplicate mainloop's own
     * out of the owner's sight (Agent, Workflow and ListAgents beside sub-agent tasks,
     * ScheduleWakeup beside schedules); each tool left out also makes the CLI's request sooner.
     */
    @WithDefault("Bash,Read,Edit,Write,Glob,Grep,WebFetch,WebSearch")
    String tools();

    /**
     * Names of agent-service's own environment variables passed on to the CLI; nothing else of
     * this service's environment (database passwords, tokens) reaches the assistant.
     */
    @WithDefault("ANTHROPIC_API_KEY,CLAUDE_CODE_OAUTH_TOKEN,ANTHROPIC_BASE_URL,ANTHROPIC_MODEL,"
            + "CLAUDE_CODE_MAX_RETRIES,PATH,LANG,LC_ALL,TZ,HTTPS_PROXY,HTTP_PROXY,NO_PROXY")
    List<String> passEnvironment();

    /** Extra environment for the CLI, on top of the variables named by {@link #passEnvironment()}. */
    Map<String, String> cliEnvironment();

    /** Whether the CLI talks to the stand-in API ({@code ./mainloop up --demo}); shown to the owner. */
    @WithDefault("false")
    boolean demo();

    /** Longest a summary's CLI run may take before its process group is killed ({@code SummaryFailed} TIMEOUT). */
    @WithDefault("5m")
    Duration summaryTimeout();

    /** memory-service's MCP tools, given to the main thread's CLI. */
    MemoryMcp memoryMcp();

    /**
     * Where the CLI reaches memory-service's MCP tools (server name {@code memory}) and the secret
     * that signs each thread's bearer token ({@code io.mainloop.support.mcp.McpTokens}). Both
     * must be set for a turn to get them.
     */
    interface MemoryMcp {

        /** memory-service's streamable-HTTP MCP endpoint, e.g. {@code http://127.0.0.1:8081/mcp}. */
        Optional<String> url();

        /** The secret shared with memory-service ({@code mainloop.memory.mcp.secret}); never given to the CLI. */
        Optional<String> secret();
    }

    /** scheduler-service's MCP tools ({@code schedule}, {@code list_schedules}, {@code cancel_schedule}), given to the main thread's CLI. */
    SchedulerMcp schedulerMcp();

    /**
     * Where the CLI reaches scheduler-service's MCP tools (server name {@code scheduler}); signed
     * with the same secret as the memory tools ({@link MemoryMcp#secret()}).
     */
    interface SchedulerMcp {

        /** scheduler-service's streamable-HTTP MCP endpoint, e.g. {@code http://127.0.0.1:8083/mcp}. */
        Optional<String> url();
    }

    /** Sub-agent tasks (docs/tasks.md). */
    Tasks tasks();

    /** Sub-agent task settings ({@code mainloop.agent.tasks.*}). */
    interface Tasks {

        /** Where tasks run: {@code local} (child processes, the embedded default) or {@code kubernetes} (Jobs). */
        @WithDefault("local")
        String mode();

        /** Most tasks running at once; the rest wait as Pending, in order. Unset: 4 in local mode, 10 in Kubernetes mode. */
        Optional<Integer> maxConcurrent();

        /** {@link #maxConcurrent()}, or the default of the mode. */
        default int concurrencyLimit() {
            return maxConcurrent().orElse("kubernetes".equals(mode()) ? 10 : 4);
        }

        /** The model of a task that names none ({@code --model}); else the CLI's default. */
        Optional<String> defaultModel();

        /** {@code --max-turns} of a task that sets none. */
        @WithDefault("50")
        int maxTurns();

        /** Longest a task that sets no deadline may run. */
        @WithDefault("30m")
        Duration deadline();

        /** {@code --max-budget-usd} of a task that sets none, US dollars. */
        @WithDefault("1.00")
        java.math.BigDecimal maxBudgetUsd();

        /**
         * This service's own MCP endpoint (the {@code tasks} tools: spawn_tasks for the main thread,
         * ask_owner for a sub-agent), as the CLI reaches it; signed with {@code memory-mcp.secret}.
         * Default: {@code http://127.0.0.1:<the port this service listens on>/mcp}.
         */
        Optional<String> mcpUrl();

        /** Whether the main thread's assistant gets the task tools (spawn_tasks, ...). */
        @WithDefault("true")
        boolean enabled();
    }

    /** How the assistant is contained. */
    Sandbox sandbox();

    /** The assistant's sandbox: Claude Code's own (Bash under bubblewrap) plus deny rules for its file tools. */
    interface Sandbox {

        /**
         * Whether the CLI runs with {@code sandbox.enabled}: its Bash commands run under bubblewrap
         * (Debian packages {@code bubblewrap} and {@code socat}) and may write only in the workspace.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The data directory whose every entry except the workspaces (owner token, PostgreSQL and
         * Kafka data, logs) the assistant may not read or edit; {@code ./mainloop up} sets it.
         */
        Optional<Path> dataDir();

        /** More files or directories the assistant may not read or edit. */
        Optional<List<Path>> denyPaths();
    }
}
