package io.mainloop.devstack.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Makes sure a process this JVM started does not outlive it, even after {@code kill -9} of this
 * JVM. A small watchdog ({@code setsid bash}) holds a pipe from this JVM on its stdin; the kernel
 * closes the pipe when this JVM dies, whatever the cause, and the watchdog then signals the
 * guarded process (and SIGKILLs it after a grace period). {@link #release()} dismisses the
 * watchdog once the process was stopped the normal way.
 */
public final class ProcessGuard implements AutoCloseable {

    private static final String SCRIPT = """
            read -r line
            [ "$line" = release ] && exit 0
            if [ -n "$PIDFILE" ]; then PID=$(head -n 1 "$PIDFILE" 2>/dev/null); fi
            [ -n "$PID" ] || exit 0
            kill -"$SIGNAL" "$PID" 2>/dev/null || exit 0
            for _ in $(seq 1 "$((GRACE_S * 10))"); do kill -0 "$PID" 2>/dev/null || exit 0; sleep 0.1; done
            kill -KILL "$PID" 2>/dev/null
            """;

    private final Process watchdog;

    private ProcessGuard(Process watchdog) {
        this.watchdog = watchdog;
    }

    /**
     * Guards a process by pid.
     *
     * @param pid the process to stop when this JVM dies
     * @param signal the first signal to send, e.g. {@code TERM} or {@code INT}
     * @param graceSeconds how long to wait before SIGKILL
     * @throws IOException if the watchdog cannot be started
     */
    public static ProcessGuard forPid(long pid, String signal, int graceSeconds) throws IOException {
        return start(String.valueOf(pid), "", signal, graceSeconds);
    }

    /**
     * Guards a process whose pid is the first line of {@code pidFile} at the moment this JVM
     * dies (PostgreSQL's {@code postmaster.pid}).
     */
    public static ProcessGuard forPidFile(Path pidFile, String signal, int graceSeconds) throws IOException {
        return start("", pidFile.toAbsolutePath().toString(), signal, graceSeconds);
    }

    private static ProcessGuard start(String pid, String pidFile, String signal, int graceSeconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "-c", SCRIPT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PID", pid);
        builder.environment().put("PIDFILE", pidFile);
        builder.environment().put("SIGNAL", signal);
        builder.environment().put("GRACE_S", String.valueOf(graceSeconds));
        return new ProcessGuard(builder.start());
    }

    /** Tells the watchdog the guarded process was stopped normally; it exits without signalling. */
    public void release() {
        try (OutputStream in = watchdog.getOutputStream()) {
            in.write("release\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException alreadyGone) {
            // the watchdog has exited; nothing to release
        }
    }

    /** Same as {@link #release()}. */
    @Override
    public void close() {
        release();
    }
}
