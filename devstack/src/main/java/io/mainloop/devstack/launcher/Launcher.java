package io.mainloop.devstack.launcher;

import io.mainloop.devstack.claude.ClaudeCode;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./mainloop up [--demo]}: starts the {@link LocalStack}, prints the URL and the owner
 * token, and on Ctrl-C stops everything. Nothing survives a {@code kill -9} of this JVM either
 * (every child is guarded). With {@code --demo} the real Claude Code CLI talks to the stand-in API.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        List<String> argList = List.of(args);
        if (argList.isEmpty() || !"up".equals(argList.get(0)) || argList.stream().skip(1).anyMatch(a -> !"--demo".equals(a))) {
            System.err.println("usage: ./mainloop up [--demo]");
            System.exit(2);
        }
        StackSettings settings;
        try {
            settings = StackSettings.from(ClaudeCode.projectRoot(), System.getenv(), argList.contains("--demo"));
        } catch (IllegalArgumentException e) {
            System.err.println("mainloop: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        out.println("mainloop: data in " + settings.dataDir());
        if (settings.demo()) {
            out.println();
            out.println("  DEMO MODE: the real Claude Code CLI talks to a local stand-in of the Anthropic API.");
            out.println("  Replies are canned echoes, not Claude. Run without --demo to use your Claude credentials.");
            out.println();
        }
        long start = System.nanoTime();
        LocalStack stack;
        try {
            stack = LocalStack.start(settings, out);
        } catch (PortCheck.PortInUseException e) {
            System.err.println("mainloop: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Exception e) {
            System.err.println("mainloop: start-up failed: " + e.getMessage());
            System.err.println("logs: " + settings.dataDir().resolve("logs"));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("mainloop: stopping");
            long stopStart = System.nanoTime();
            stack.close();
            out.printf("mainloop: stopped in %.1f s%n", (System.nanoTime() - stopStart) / 1e9);
            stopped.countDown();
        }, "mainloop-stop"));

        out.printf("mainloop: all %d services ready in %.1f s; resident memory of the stack %d MiB%n",
                stack.services().size(), (System.nanoTime() - start) / 1e9, stack.residentKib() / 1024);
        stack.services().forEach(s -> out.printf("  %-18s http://localhost:%d  (pid %d)%n", s.name(), s.port(), s.pid()));
        out.println();
        out.println("  mainloop is up: " + stack.gatewayUrl());
        out.println("  owner token: " + stack.ownerToken() + "   (also in "
                + settings.dataDir().resolve(OwnerToken.FILE) + ")");
        out.println("  logs: " + stack.logDir() + "    stop: Ctrl-C");
        stopped.await();
    }
}
