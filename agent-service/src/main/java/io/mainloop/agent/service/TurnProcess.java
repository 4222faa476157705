package io.mainloop.agent.service;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A CLI process running a turn or a sub-agent task (leader of its own process group, started through {@code setsid}):
 * either started by this JVM (a child, whose exit code is known) or found again after a restart of
 * agent-service (re-attached: only its pid is known). Records why it was stopped, if it was.
 *
 * <p>A re-attached process is no child of this JVM: once it exits, its new parent (the nearest
 * subreaper, else init) reaps it, maybe seconds or minutes later, and until then it is a zombie,
 * which the JDK counts as alive ({@link ProcessHandle#isAlive()}, and {@link ProcessHandle#onExit()}
 * does not complete). Here a zombie has ended ({@code /proc/<pid>/stat} state {@code Z} or {@code X},
 * proc(5)).
 */
public final class TurnProcess implements TurnCli {

    /** Why a process was killed: the owner cancelled, the turn timed out, or something failed here. */
    public enum Ending { CANCELLED, TIMED_OUT, FAILED }

    private final ProcessHandle handle;
    private final Process child;
    private final java.util.UUID sessionId;
    private final Boolean warm;
    private final AtomicReference<Ending> ending = new AtomicReference<>();

    private TurnProcess(ProcessHandle handle, Process child, java.util.UUID sessionId, Boolean warm) {
        this.handle = handle;
        this.child = child;
        this.sessionId = sessionId;
        this.warm = warm;
    }

    /** A process this JVM started (a sub-agent's: no turn session of its own here). */
    public static TurnProcess started(Process process) {
        return new TurnProcess(process.toHandle(), process, null, false);
    }

    /**
     * A process this JVM started for a turn.
     *
     * @param sessionId its Claude Code session
     * @param warm whether it was started ahead of the turn
     */
    public static TurnProcess started(Process process, java.util.UUID sessionId, boolean warm) {
        return new TurnProcess(process.toHandle(), process, sessionId, warm);
    }

    /** A process started by an earlier run of agent-service, found by its pid. */
    public static TurnProcess attached(ProcessHandle handle) {
        return new TurnProcess(handle, null, null, null);
    }

    /** A turn's process started by an earlier run of agent-service, found by its pid and session. */
    public static TurnProcess attached(ProcessHandle handle, java.util.UUID sessionId) {
        return new TurnProcess(handle, null, sessionId, null);
    }

    @Override
    public java.util.UUID sessionId() {
        return sessionId;
    }

    @Override
    public Boolean warm() {
        return warm;
    }

    /** The process group id (= the leader's pid). */
    @Override
    public long pid() {
        return handle.pid();
    }

    /** Whether it runs: false once it exited, also while a re-attached one waits to be reaped (a zombie). */
    @Override
    public boolean isAlive() {
        return child != null ? child.isAlive() : running(handle);
    }

    /** Whether {@code process} exists and is not a zombie (exited, not yet reaped by its parent). */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2); // "pid (comm) S ...": comm may hold spaces and ')'
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc here, or gone meanwhile
        }
    }

    /** The exit code, for a child that has exited; empty for a re-attached process or one still running. */
    @Override
    public OptionalInt exitCode() {
        if (child == null || child.isAlive()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(child.exitValue());
    }

    /** Waits up to {@code ms} for the process to exit (a re-attached one: checked every {@value #EXIT_POLL_MS} ms). */
    @Override
    public void awaitExit(long ms) throws InterruptedException {
        if (child != null) {
            child.waitFor(ms, TimeUnit.MILLISECONDS);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (running(handle) && System.nanoTime() < deadline) {
            Thread.sleep(EXIT_POLL_MS); // no exit notification for a process that is no child of this JVM
        }
    }

    static final long EXIT_POLL_MS = 50;

    /** Why it was killed, or null if it was not. */
    @Override
    public Ending ending() {
        return ending.get();
    }

    /** Kills the whole process group (the CLI and the tools it started). The first reason wins. */
    @Override
    public void kill(Ending why) {
        if (ending.compareAndSet(null, why)) {
            killGroup(handle);
        }
    }

    /**
     * The live CLI process with {@code pid} whose command line names {@code sessionId} (so a reused
     * pid is never mistaken for it).
     */
    public static Optional<ProcessHandle> find(long pid, String sessionId) {
        return ProcessHandle.of(pid)
                .filter(TurnProcess::running)
                .filter(p -> p.info().commandLine().orElse("").contains(sessionId));
    }

    /**
     * A live CLI whose command line names {@code sessionId}, whatever its pid: one started by an
     * attempt that died before it could record the pid.
     */
    public static Optional<ProcessHandle> findBySession(String sessionId) {
        return ProcessHandle.allProcesses()
                .filter(TurnProcess::running)
                .filter(p -> p.info().commandLine().orElse("").contains(sessionId))
                .findFirst();
    }

    /**
     * SIGKILLs the process group led by {@code leader} ({@code kill -KILL -- -pgid}), then
     * whatever descendants are left.
     */
    public static void killGroup(ProcessHandle leader) {
        leader.descendants().toList().forEach(ProcessHandle::destroyForcibly);
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + leader.pid()).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // fall through to the JDK's own kill
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leader.destroyForcibly();
    }

    /** {@code pid <n>}. */
    @Override
    public String toString() {
        return "pid " + handle.pid();
    }
}
