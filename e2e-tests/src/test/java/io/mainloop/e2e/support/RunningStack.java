package io.mainloop.e2e.support;

import io.mainloop.devstack.access.AccessKeys;
import io.mainloop.devstack.access.AccessTokens;
import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.launcher.StackSettings;
import io.mainloop.devstack.process.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension: one {@link LocalStack} in demo mode (the real CLI against the stand-in API)
 * for the whole test run, in a fresh data directory under {@code target/} on free ports, stopped
 * when the run ends.
 * Injects {@link LocalStack} and {@link ThreadClient} parameters.
 */
public final class RunningStack implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RunningStack.class);

    /** The Cloudflare Access identity that gets the owner's thread. */
    public static final String ACCESS_OWNER = "owner@example.com";

    /** The Cloudflare Access identities allowed in, each with a thread of its own (the owner's: the owner's). */
    public static final List<String> ACCESS_IDENTITIES = List.of("ada@example.com", "bob@example.com",
            ACCESS_OWNER);

    private record Holder(LocalStack stack) implements AutoCloseable {
        @Override
        public void close() {
            try {
                stack.close();
            } finally {
                AccessKeys.stop();
            }
            io.mainloop.devstack.process.TempDirLinks.deleteInto(stack.dataDir()); // the data stays, for a look at the logs
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalStack.class || type == ThreadClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalStack stack = context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(Holder.class, key -> new Holder(start()), Holder.class).stack();
        return parameter.getParameter().getType() == LocalStack.class ? stack
                : new ThreadClient(stack.gatewayUrl(), stack.ownerToken());
    }

    private static LocalStack start() {
        try {
            // under target/, so a failed run's service logs stay for a look (target/e2e-*/logs)
            Path data = Files.createDirectories(Path.of("target")).resolve("e2e-" + System.currentTimeMillis());
            // Cloudflare Access on beside the owner token, its keys served here (AccessE2ETest)
            Map<String, String> access = Map.of("MAINLOOP_GATEWAY_ACCESS_ENABLED", "true",
                    "MAINLOOP_GATEWAY_ACCESS_TEAM_DOMAIN", AccessTokens.TEAM,
                    "MAINLOOP_GATEWAY_ACCESS_AUDIENCE", AccessTokens.AUD,
                    "MAINLOOP_GATEWAY_ACCESS_JWKS_URL", AccessKeys.start(),
                    "MAINLOOP_GATEWAY_ACCESS_ALLOWED_IDENTITIES", String.join(",", ACCESS_IDENTITIES),
                    "MAINLOOP_GATEWAY_ACCESS_OWNER_IDENTITY", ACCESS_OWNER);
            StackSettings settings = new StackSettings(ClaudeCode.projectRoot(), data,
                    FreePorts.nextBlock(LocalStack.SERVICES.size()), true, access);
            return LocalStack.start(settings, System.out);
        } catch (Exception e) {
            throw new IllegalStateException("the local stack did not start: " + e.getMessage(), e);
        }
    }
}
