package io.mainloop.devstack.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Settings of the local stack, from the environment.
 *
 * @param projectRoot the checkout, holding each service's built {@code target/quarkus-app}
 * @param dataDir {@code MAINLOOP_DATA_DIR}, default {@code ~/.mainloop}: PostgreSQL and Kafka data, logs
 * @param gatewayPort {@code MAINLOOP_PORT}, default 8080; the other services take the next three ports
 * @param demo whether the agent talks to the stand-in API instead of Anthropic
 * @param gatewayEnvironment more environment variables for the gateway (tests: Cloudflare Access
 *     against a stand-in of the team's keys); none from the environment
 */
public record StackSettings(Path projectRoot, Path dataDir, int gatewayPort, boolean demo,
                            Map<String, String> gatewayEnvironment) {

    public StackSettings {
        gatewayEnvironment = Map.copyOf(gatewayEnvironment);
    }

    /** Settings with no more gateway variables. */
    public StackSettings(Path projectRoot, Path dataDir, int gatewayPort, boolean demo) {
        this(projectRoot, dataDir, gatewayPort, demo, Map.of());
    }

    /** Variables passed through to agent-service for the Claude Code CLI (never logged). */
    public static final List<String> AGENT_CREDENTIAL_VARIABLES =
            List.of("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN");

    /** Reads the settings from {@code env}. */
    public static StackSettings from(Path projectRoot, Map<String, String> env, boolean demo) {
        String data = env.getOrDefault("MAINLOOP_DATA_DIR", "");
        Path dataDir = data.isBlank() ? Path.of(System.getProperty("user.home"), ".mainloop") : Path.of(data);
        String port = env.getOrDefault("MAINLOOP_PORT", "");
        int gatewayPort;
        try {
            gatewayPort = port.isBlank() ? 8080 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MAINLOOP_PORT must be a port number, not '" + port + "'");
        }
        if (gatewayPort < 1 || gatewayPort > 65532) {
            throw new IllegalArgumentException("MAINLOOP_PORT must be between 1 and 65532, not " + gatewayPort);
        }
        return new StackSettings(projectRoot, dataDir.toAbsolutePath(), gatewayPort, demo);
    }
}
