package io.mainloop.agent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mainloop.agent.config.AgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Claude Code settings ({@code --settings <json>}) that contain the assistant of one thread:
 * {@code sandbox.enabled} (its Bash commands run under bubblewrap and may write only in the
 * workspace) and permission deny rules {@code Read(//path/**)} / {@code Edit(//path/**)}, which
 * both the file tools and the sandboxed Bash honour even with {@code bypassPermissions}, for: the
 * data directory's entries but the workspaces (owner token, PostgreSQL, Kafka, logs), other
 * threads' workspaces, the machine user's Claude credentials, {@code /proc} (other processes'
 * environments and roots) and {@code sandbox.deny-paths}; and {@code disableAllHooks}, so a hook
 * the assistant writes into a settings file of its workspace never runs (the CLI also loads no
 * user, project or local settings: {@code --setting-sources ""}).
 * Observed behaviour: {@code shared/reference/claude-code-headless.md}, "Sandboxing the assistant".
 */
@ApplicationScoped
public class SandboxSettings {

    @Inject
    AgentConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Workspaces workspaces;

    /** The settings JSON for a turn running in {@code workspace}. */
    public String forWorkspace(Path workspace) throws IOException {
        ObjectNode settings = json.createObjectNode();
        settings.put("disableAllHooks", true);
        settings.putObject("sandbox").put("enabled", config.sandbox().enabled());
        ArrayNode deny = settings.putObject("permissions").putArray("deny");
        for (Path path : deniedPaths(workspace)) {
            String pattern = Files.isDirectory(path) ? "/" + path + "/**" : "/" + path;
            deny.add("Read(" + pattern + ")");
            deny.add("Edit(" + pattern + ")");
        }
        return json.writeValueAsString(settings);
    }

    /** What the assistant of {@code workspace} may not touch, absolute paths. */
    List<Path> deniedPaths(Path workspace) throws IOException {
        List<Path> denied = new ArrayList<>();
        Path root = workspaces.root();
        if (config.sandbox().dataDir().isPresent()) {
            Path data = config.sandbox().dataDir().get().toAbsolutePath().normalize();
            denied.addAll(entriesExcept(data, root));
        }
        denied.addAll(entriesExcept(root, workspace.toAbsolutePath().normalize()));
        denied.add(Path.of(System.getProperty("user.home"), ".claude").toAbsolutePath());
        denied.add(Path.of("/proc"));
        config.sandbox().denyPaths().ifPresent(paths -> paths.forEach(p -> denied.add(p.toAbsolutePath().normalize())));
        return denied;
    }

    private static List<Path> entriesExcept(Path dir, Path kept) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.toAbsolutePath().normalize())
                    .filter(p -> !p.equals(kept) && !kept.startsWith(p))
                    .toList();
        }
    }
}
