package io.mainloop.devstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The links {@code mainloop-<hash>} agent-service makes in the system temp directory
 * ({@code java.io.tmpdir}), each to a workspace's temp directory (the sandbox's Unix sockets need a
 * path of at most 107 bytes). A test that is done with its workspaces deletes the links into them,
 * so repeated test runs leave no dangling links behind.
 */
public final class TempDirLinks {

    private TempDirLinks() {
    }

    /**
     * Deletes the links {@code mainloop-*} in the system temp directory that point into {@code dir}
     * (the links only, never what they point to). Best effort: a failure is printed, not thrown.
     */
    public static void deleteInto(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        try (var links = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "mainloop-*")) {
            for (Path link : links) {
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).normalize().startsWith(target)) {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException e) {
            System.err.println("temp-dir links into " + dir + " not deleted: " + e);
        }
    }
}
