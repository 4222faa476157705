package io.mainloop.agent.service;

import io.mainloop.agent.config.AgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Each thread's persistent workspace: {@code <workspace-dir>/<name>}, where the name is the thread
 * id when it is a plain name ({@code [A-Za-z0-9_-]}, 1-64 characters, not starting with a dot),
 * else a hash of it, so no thread id can point outside the workspace root ({@code ..}, {@code /}).
 */
@ApplicationScoped
public class Workspaces {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    @Inject
    AgentConfig config;

    /** The workspace root, absolute and normalized. */
    public Path root() {
        return config.workspaceDir().toAbsolutePath().normalize();
    }

    /** The directory name of {@code threadId}'s workspace. */
    static String name(String threadId) {
        if (PLAIN.matcher(threadId).matches() && !threadId.contains("..")) {
            return threadId;
        }
        return "t-" + hash(threadId);
    }

    /** The first 128 bits of the SHA-256 of {@code text}, as 32 hex digits. */
    public static String hash(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The thread's workspace directory, created if missing.
     *
     * @throws IOException if it cannot be created
     */
    public Path of(String threadId) throws IOException {
        Path root = root();
        Path dir = root.resolve(name(threadId)).normalize();
        if (!dir.getParent().equals(root)) {
            throw new IllegalArgumentException("thread id " + threadId + " does not name a workspace");
        }
        return Files.createDirectories(dir);
    }
}
