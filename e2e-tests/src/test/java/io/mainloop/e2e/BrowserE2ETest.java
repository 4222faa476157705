package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.e2e.support.RunningStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web chat in a real browser (Debian's Chromium, driven by playwright-core from the tests in
 * {@code frontend/e2e/}) against the whole stack with the stand-in API: login, a phone-sized page
 * sending and watching the answer stream, a laptop-sized page seeing both live, markdown and
 * highlighted code, model output that tries to run script, a network loss caught up with
 * Last-Event-ID, dark mode; the Memory, Tasks and Inbox views; the Schedules view (a schedule
 * added, switched off, deleted) and the Heartbeat view (HEARTBEAT.md saved, a beat run that stays
 * silent, today's usage). Screenshots go to {@code target/screenshots}.
 */
@ExtendWith(RunningStack.class)
class BrowserE2ETest {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

    @Test
    void theWebChatWorksOnAPhoneAndALaptopAtOnce(LocalStack stack) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium "
                + "(apt-get install chromium; .ci/run does) or set CHROMIUM_PATH");
        Path frontend = ClaudeCode.projectRoot().resolve("frontend");
        assertTrue(Files.isDirectory(frontend.resolve("node_modules/playwright-core")),
                "frontend/node_modules is missing: the gateway build (Quinoa) installs it");
        Path screenshots = Path.of("target/screenshots").toAbsolutePath();
        Path log = Path.of("target/browser-tests.log").toAbsolutePath();
        Files.createDirectories(screenshots);

        ProcessBuilder node = new ProcessBuilder(List.of("node", "--test", "--test-reporter=spec",
                "--test-concurrency=1", "e2e/"))
                .directory(frontend.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().put("MAINLOOP_URL", stack.gatewayUrl());
        node.environment().put("MAINLOOP_TOKEN", stack.ownerToken());
        node.environment().put("SCREENSHOT_DIR", screenshots.toString());
        node.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        Process process = node.start();
        boolean exited = process.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertTrue(exited, "the browser tests did not finish in 5 minutes:\n" + output);
        assertEquals(0, process.exitValue(), "browser tests failed:\n" + output);
        for (String shot : List.of("phone-login.png", "phone-chat.png", "desktop-chat.png", "phone-dark.png")) {
            assertTrue(Files.size(screenshots.resolve(shot)) > 10_000, shot + " was not taken");
        }
    }
}
