package io.mainloop.devstack.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The secret agent-service, memory-service and scheduler-service share to sign and check the
 * per-thread tokens of their MCP tools ({@code io.mainloop.support.mcp.McpTokens}): kept in
 * {@code $MAINLOOP_DATA_DIR/mcp.secret} (mode 600; the assistant's sandbox denies the data
 * directory), generated on first run (256 random bits, URL-safe Base64 without padding).
 */
public final class McpSecret {

    /** The secret file's name inside the data directory. */
    public static final String FILE = "mcp.secret";

    private McpSecret() {
    }

    /**
     * The data directory's secret, creating and saving one if there is none.
     *
     * @throws IOException if the file cannot be read or written
     */
    public static String ensure(Path dataDir) throws IOException {
        return io.mainloop.devstack.secrets.SecretFile.readOrCreate(dataDir.resolve(FILE),
                Base64.getUrlEncoder().withoutPadding()::encodeToString);
    }
}
