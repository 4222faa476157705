package io.mainloop.devstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and kills processes left working in a directory (Linux {@code /proc/<pid>/cwd}): the
 * assistant's CLIs keep running when agent-service stops, so that a restarted agent-service can
 * re-attach to them; when the whole local stack stops, they are ended too.
 */
public final class LeftoverProcesses {

    private LeftoverProcesses() {
    }

    /**
     * SIGKILLs every process whose working directory is {@code dir} or below it, with its descendants.
     *
     * @return how many processes were killed
     */
    public static int killUnder(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        int killed = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            if (p.pid() == ProcessHandle.current().pid() || !cwdUnder(p.pid(), root)) {
                continue;
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            if (p.destroyForcibly()) {
                killed++;
            }
        }
        return killed;
    }

    private static boolean cwdUnder(long pid, Path root) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).startsWith(root);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
