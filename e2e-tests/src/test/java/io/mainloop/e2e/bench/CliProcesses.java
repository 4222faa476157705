package io.mainloop.e2e.bench;

import java.time.Duration;
import java.util.List;

/**
 * The Claude Code CLIs agent-service runs (its descendants whose command line runs {@code claude -p}),
 * for benchmarks that pace turns on an idle machine: each turn is posted once the previous turn's
 * CLI has exited and the waiting one (started ahead of the next turn) has finished booting.
 */
final class CliProcesses {

    /** CPU time under which a process counts as idle over {@link #IDLE_WINDOW}. */
    private static final Duration IDLE_CPU = Duration.ofMillis(15);
    private static final Duration IDLE_WINDOW = Duration.ofMillis(400);

    private CliProcesses() {
    }

    /** The CLIs descending from {@code parentPid}. */
    static List<ProcessHandle> of(long parentPid) {
        return ProcessHandle.of(parentPid).map(p -> p.descendants().filter(CliProcesses::isCli).toList()).orElse(List.of());
    }

    static boolean isCli(ProcessHandle p) {
        String line = p.info().commandLine().orElse("");
        return p.isAlive() && line.contains("claude") && line.contains(" -p ");
    }

    /**
     * Waits (at most {@code timeout}) until exactly {@code count} CLIs descend from {@code parentPid}
     * (the previous turn's exited; the one started ahead of the next turn, if any, is there) and
     * every one of them is idle (booted, waiting on stdin).
     */
    static void awaitSettled(long parentPid, int count, Duration timeout) {
        awaitSettled(parentPid, count, count, timeout);
    }

    /** Like {@link #awaitSettled(long, int, Duration)} for between {@code min} and {@code max} CLIs. */
    static void awaitSettled(long parentPid, int min, int max, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> clis = of(parentPid);
            if (clis.size() >= min && clis.size() <= max && clis.stream().allMatch(CliProcesses::idle)) {
                return;
            }
            pause(50);
        }
        throw new AssertionError("agent-service's CLIs did not settle within " + timeout.toSeconds() + " s: " + of(parentPid));
    }

    /** Whether {@code process} (and its children) uses less than 15 ms of CPU over the next 400 ms. */
    static boolean idle(ProcessHandle process) {
        Duration before = cpu(process);
        pause(IDLE_WINDOW.toMillis());
        return cpu(process).minus(before).compareTo(IDLE_CPU) < 0;
    }

    /** Waits (at most {@code timeout}) until every one of {@code processes} has exited. */
    static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
        try {
            java.util.concurrent.CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit)
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("CLIs still running after " + timeout.toSeconds() + " s: " + processes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits until {@code process} is idle (at most {@code timeout}). */
    static void awaitIdle(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (idle(process)) {
                return;
            }
        }
        throw new AssertionError("the CLI " + process.pid() + " did not go idle");
    }

    /** Ends every CLI descending from {@code parentPid} and waits until they are gone. */
    static void killAll(long parentPid) {
        for (ProcessHandle cli : of(parentPid)) {
            cli.descendants().forEach(ProcessHandle::destroyForcibly);
            cli.destroyForcibly();
            cli.onExit().join();
        }
    }

    private static Duration cpu(ProcessHandle process) {
        Duration total = process.info().totalCpuDuration().orElse(Duration.ZERO);
        for (ProcessHandle child : process.descendants().toList()) {
            total = total.plus(child.info().totalCpuDuration().orElse(Duration.ZERO));
        }
        return total;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // pacing of a benchmark, not a test's timing assumption
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
