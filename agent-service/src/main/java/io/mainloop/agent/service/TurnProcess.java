package io.mainloop.agent.service;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running CLI process (leader of its own process group, started through {@code setsid}) and
 * why it was stopped, if it was.
 */
final class TurnProcess {

    /** Why a process was killed: the owner cancelled, the turn timed out, or this service stops. */
    enum Ending { CANCELLED, TIMED_OUT, SHUTDOWN }

    private final Process process;
    private final AtomicReference<Ending> ending = new AtomicReference<>();

    TurnProcess(Process process) {
        this.process = process;
    }

    Process process() {
        return process;
    }

    /** Why it was killed, or null if it ended by itself. */
    Ending ending() {
        return ending.get();
    }

    /** Kills the whole process group (the CLI and the tools it started). The first reason wins. */
    void kill(Ending why) {
        if (!ending.compareAndSet(null, why)) {
            return;
        }
        killGroup(process.toHandle());
    }

    /**
     * SIGKILLs the process group led by {@code leader} ({@code kill -KILL -- -pgid}), then
     * whatever descendants are left.
     */
    static void killGroup(ProcessHandle leader) {
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
}
