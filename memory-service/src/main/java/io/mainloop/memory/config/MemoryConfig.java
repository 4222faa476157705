package io.mainloop.memory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** Settings of memory-service ({@code mainloop.memory.*}, or {@code MAINLOOP_MEMORY_*} variables). */
@ConfigMapping(prefix = "mainloop.memory")
public interface MemoryConfig {

    /** Most tokens a turn's assembled context (system prompt, core blocks, memories, pyramid, new messages) may take. */
    @WithDefault("30000")
    int contextTokenBudget();

    /** Instructions that open every turn's context (the memory rules are appended to them). */
    @WithDefault("You are mainloop, the owner's persistent assistant on one continuous thread.")
    String systemPrompt();

    /**
     * The owner's time zone (an IANA id such as {@code Europe/Paris}): days, ISO weeks and months
     * of the pyramid are counted in it; default the system's.
     */
    Optional<String> timeZone();

    /** Longest a core block ({@code persona}, {@code owner}) may be, in characters. */
    @WithDefault("2000")
    int coreBlockMaxChars();

    /** Most recent DECISION, FACT and PREFERENCE memories put in every context (pinned ones and unexpired handoffs come on top). */
    @WithDefault("40")
    int memoriesInContext();

    /** How long a HANDOFF memory stays in context unless it is given another expiry. */
    @WithDefault("14d")
    Duration handoffTtl();

    /** Assistant answers of this many most recent turns keep their tool outputs in context; older ones show {@code [output elided: N bytes]}. */
    @WithDefault("3")
    int toolOutputTurns();

    /** Longest a single message may be in context, in tokens; a longer one is cut with a note (the whole stays in history). */
    @WithDefault("4000")
    int messageMaxTokens();

    /**
     * Longest a turn may run: agent-service's {@code mainloop.agent.turn-timeout} (keep them equal).
     * A turn whose end has not arrived after this plus {@link #staleTurnMargin()} is given up.
     */
    @WithDefault("10m")
    Duration turnTimeout();

    /** Grace after {@link #turnTimeout()} before a turn whose end never arrived is given up. */
    @WithDefault("2m")
    Duration staleTurnMargin();

    /** How often threads are checked for a turn whose end never arrived. */
    @WithDefault("30s")
    Duration staleTurnCheck();

    /**
     * How long an input may keep failing (database unreachable) before the owner sees a notice
     * in the thread; it is retried all along and never dropped.
     */
    @WithDefault("30s")
    Duration delayNoticeAfter();

    /** Whether a finished sub-agent task gives the assistant a turn to report it (else its entry only). */
    @WithDefault("true")
    boolean reportTaskResults();

    /** Compaction: summaries written by the model through agent-service. */
    Compaction compaction();

    /** Heartbeat turns (docs/scheduler.md, "Heartbeat turns"). */
    Heartbeat heartbeat();

    /** Heartbeat settings ({@code mainloop.memory.heartbeat.*}). */
    interface Heartbeat {

        /**
         * The heartbeat's instructions (its whole system prompt: a heartbeat runs without Claude
         * Code's own prompt and without tools, to stay small).
         */
        @WithDefault("You are mainloop, the owner's persistent assistant, woken by a heartbeat to check on things. "
                + "Look at the checklist and what changed below. If nothing needs the owner's attention now, reply "
                + "exactly HEARTBEAT_OK and nothing else. Otherwise write one short message to the owner: what needs "
                + "them and why, no greeting.")
        String systemPrompt();

        /** Most tokens heartbeats may use per day (input plus output, as the CLI reports them); then they stop until tomorrow. */
        @WithDefault("100000")
        long dailyTokenBudget();

        /** Most heartbeats may cost per day, USD; then they stop until tomorrow. */
        @WithDefault("0.50")
        java.math.BigDecimal dailyCostBudgetUsd();

        /** Longest HEARTBEAT.md may be, in characters. */
        @WithDefault("8000")
        int checklistMaxChars();

        /** Most open inbox items and changed tasks a heartbeat is shown, each. */
        @WithDefault("10")
        int maxItems();
    }

    /** The MCP tools the assistant calls ({@code remember}, {@code recall_period}, ...). */
    Mcp mcp();

    /** Recall: the search index over messages, summaries and memories (docs/memory.md, "Search"). */
    Search search();

    /** Search settings ({@code mainloop.memory.search.*}). */
    interface Search {

        /** Whether the index is kept and searched at all (off: search answers 503, the retrieved layer stays empty). */
        @WithDefault("true")
        boolean enabled();

        /**
         * This replica's index directory (local disk; each replica keeps its own, rebuilt from
         * PostgreSQL when missing or behind). Default {@code $MAINLOOP_DATA_DIR/memory-index},
         * else {@code ~/.mainloop/memory-index}.
         */
        @WithDefault("${MAINLOOP_DATA_DIR:${user.home}/.mainloop}/memory-index")
        String indexDir();

        /** How often the index is caught up with PostgreSQL (searches also catch up first). */
        @WithDefault("2s")
        Duration catchUp();

        /** Longest a search waits for writes committed before it to become indexable (an older transaction still open). */
        @WithDefault("2s")
        Duration freshnessWait();

        /** Most hits one search returns. */
        @WithDefault("100")
        int maxHits();

        /** Most tokens the retrieved layer of a turn's context may take. */
        @WithDefault("1500")
        int contextTokens();

        /** Most retrieved items in a turn's context. */
        @WithDefault("5")
        int contextHits();

        /**
         * Roles whose messages get dense vectors (USER, ASSISTANT, SYSTEM); the others are found
         * by BM25 only. Embedding is the costly part of importing and indexing.
         */
        @WithDefault("USER,ASSISTANT,SYSTEM")
        java.util.Set<String> embedRoles();

        /** Threads to embed with (the ONNX model's intra-op work is per call; imports embed this many texts at once). */
        @WithDefault("2")
        int embeddingThreads();
    }

    /** Compaction settings ({@code mainloop.memory.compaction.*}). */
    interface Compaction {

        /** Whether memory-service writes summaries at all. */
        @WithDefault("true")
        boolean enabled();

        /** The summarizer's model ({@code --model}; the CLI's {@code haiku} alias by default). */
        @WithDefault("haiku")
        String summaryModel();

        /** Cost cap of one summary, US dollars ({@code --max-budget-usd}). */
        @WithDefault("0.10")
        BigDecimal maxBudgetUsd();

        /** How often every thread is checked for ended periods without a summary (also at start-up). */
        @WithDefault("5m")
        Duration check();

        /** A request with no answer after this is sent again. */
        @WithDefault("15m")
        Duration answerTimeout();

        /** Wait before asking again after a failed summary; doubled per attempt up to {@link #maxRetryBackoff()}. */
        @WithDefault("1m")
        Duration retryBackoff();

        /** Longest wait between attempts of a failing summary. */
        @WithDefault("1h")
        Duration maxRetryBackoff();

        /** Most characters of material sent for one summary (longer days are cut in the middle, with a note). */
        @WithDefault("200000")
        int maxMaterialChars();
    }

    /** MCP settings ({@code mainloop.memory.mcp.*}). */
    interface Mcp {

        /**
         * The secret shared with agent-service ({@code mainloop.agent.memory-mcp.secret}) that
         * signs each thread's MCP token; without it every tool call is refused.
         */
        Optional<String> secret();
    }
}
