package io.mainloop.devstack.claude;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The pinned Claude Code CLI (npm {@code @anthropic-ai/claude-code}, version from the root pom),
 * installed on first use with the machine's npm into a git-ignored folder of the project
 * ({@code .tools/claude-code-VERSION}, or under {@code MAINLOOP_TOOLS_DIR}). Never installed by
 * hand. Facts on install and environment: {@code shared/reference/claude-code-headless.md}.
 */
public final class ClaudeCode {

    private ClaudeCode() {
    }

    /** The pinned CLI version, e.g. {@code 2.1.330}. */
    public static String version() {
        try (InputStream in = ClaudeCode.class.getResourceAsStream("/io/mainloop/devstack/devstack.properties")) {
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("claude-code.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where tools live: {@code MAINLOOP_TOOLS_DIR}, else {@code <project root>/.tools}, the
     * project root being {@code -Dmainloop.project.root} or the nearest folder upwards holding
     * the {@code mainloop} script.
     */
    public static Path toolsDir() {
        String env = System.getenv("MAINLOOP_TOOLS_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return projectRoot().resolve(".tools");
    }

    /** The project's root folder (see {@link #toolsDir()}). */
    public static Path projectRoot() {
        String prop = System.getProperty("mainloop.project.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mainloop")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the mainloop project root; set -Dmainloop.project.root");
    }

    /**
     * Returns the {@code claude} executable, installing the pinned version first if needed
     * (4-8 s from a warm npm cache; ~380 MB). Safe to call from several JVMs at once.
     *
     * @throws IOException if npm fails or is missing
     */
    public static Path ensureInstalled() throws IOException {
        String version = version();
        Path prefix = toolsDir().resolve("claude-code-" + version);
        Path bin = prefix.resolve("node_modules/.bin/claude");
        if (isInstalled(bin)) {
            return bin;
        }
        Files.createDirectories(prefix);
        try (FileChannel lock = FileChannel.open(prefix.resolve(".install.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var held = lock.lock()) {
            if (isInstalled(bin)) {
                return bin;
            }
            Files.writeString(prefix.resolve("package.json"), "{\"private\":true}\n");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "--prefix", prefix.toString(), "@anthropic-ai/claude-code@" + version)
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("npm-install.log").toFile()).start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IOException("npm install @anthropic-ai/claude-code@" + version + " failed; see "
                        + prefix.resolve("npm-install.log"));
            }
            if (!isInstalled(bin)) {
                throw new IOException("Claude Code CLI installed but " + bin + " does not report version " + version);
            }
            return bin;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing Claude Code", e);
        }
    }

    private static boolean isInstalled(Path bin) {
        if (!Files.isExecutable(bin)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains(version());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Environment that makes the CLI talk only to {@code baseUrl} (the stand-in API), with its own
     * HOME and temp dir, no telemetry, no updater, no retries.
     *
     * @param home a fresh directory per agent
     * @param baseUrl the stand-in's base URL
     */
    public static Map<String, String> offlineEnvironment(Path home, String baseUrl) {
        Map<String, String> env = new HashMap<>();
        Path tmp = home.resolve("tmp");
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        env.put("ANTHROPIC_API_KEY", "stand-in-key");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_TMPDIR", tmp.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    /** The headless flags mainloop runs the CLI with (stream-json requires --verbose). */
    public static List<String> headlessArgs() {
        return List.of("--output-format", "stream-json", "--verbose", "--include-partial-messages");
    }
}
