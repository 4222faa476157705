package io.mainloop.agent.launcher;

import io.mainloop.agent.task.TaskStatusSink;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * A {@link TaskStatusSink} that repeats each report until it is recorded: the database may be
 * unreachable or frozen for a while, and a task's start or end must not be dropped (the CLI has
 * already run; its result would be lost). Retries with exponential backoff from 500 ms to 15 s;
 * gives up (rethrows) only once agent-service stops, whose restart re-attaches the task and reads
 * its result again. Safe because every report is idempotent ({@link TaskStatusSink}).
 */
final class RetryingSink implements TaskStatusSink {

    private static final Logger LOG = Logger.getLogger(RetryingSink.class);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 15_000;

    private final TaskStatusSink sink;
    private final BooleanSupplier stopping;

    RetryingSink(TaskStatusSink sink, BooleanSupplier stopping) {
        this.sink = sink;
        this.stopping = stopping;
    }

    @Override
    public void started(UUID taskId, int attempt, Long pid) {
        retry(taskId, "start", () -> sink.started(taskId, attempt, pid));
    }

    @Override
    public void needsInput(UUID taskId, int attempt, String question) {
        retry(taskId, "question", () -> sink.needsInput(taskId, attempt, question));
    }

    @Override
    public void finished(UUID taskId, int attempt, TaskPhase phase, String result, String error, Usage usage,
                         BigDecimal costUsd, long durationMs) {
        retry(taskId, "end", () -> sink.finished(taskId, attempt, phase, result, error, usage, costUsd, durationMs));
    }

    private void retry(UUID taskId, String what, Runnable report) {
        long backoffMs = FIRST_BACKOFF_MS;
        while (true) {
            try {
                report.run();
                return;
            } catch (RuntimeException e) {
                if (stopping.getAsBoolean()) {
                    throw e;
                }
                LOG.warnf("task %s: its %s is not recorded yet, retrying in %d ms: %s", taskId, what, backoffMs,
                        e.getMessage());
                try {
                    Thread.sleep(backoffMs); // backoff between attempts while the database is away
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }
}
