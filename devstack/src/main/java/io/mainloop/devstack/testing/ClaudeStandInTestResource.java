package io.mainloop.devstack.testing;

import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.standin.StandInAnthropicApi;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Gives agent-service's {@code @QuarkusTest}s the real, pinned Claude Code CLI (installed on
 * first use) talking to the stand-in Anthropic API, and a throw-away workspace directory.
 */
public class ClaudeStandInTestResource implements QuarkusTestResourceLifecycleManager {

    private StandInAnthropicApi api;

    @Override
    public Map<String, String> start() {
        try {
            String claude = ClaudeCode.ensureInstalled().toString();
            api = StandInAnthropicApi.start(0);
            return Map.of(
                    "mainloop.agent.claude-path", claude,
                    "mainloop.agent.workspace-dir", Files.createTempDirectory("mainloop-workspaces-").toString(),
                    "mainloop.agent.cli-environment.ANTHROPIC_BASE_URL", api.baseUrl(),
                    "mainloop.agent.cli-environment.ANTHROPIC_API_KEY", "stand-in-key",
                    "mainloop.agent.cli-environment.CLAUDE_CODE_MAX_RETRIES", "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
    }
}
