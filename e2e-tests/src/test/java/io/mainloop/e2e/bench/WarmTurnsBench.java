package io.mainloop.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.devstack.claude.ClaudeCode;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.standin.StandInAnthropicApi;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the owner waits for, warm against cold, through the whole stack with the real CLI and the
 * stand-in answering at once: POST sent -> first {@code text.delta} on the thread's SSE stream, and
 * POST sent -> {@code turn.completed} on it, for turns run by the CLI started ahead of them (warm)
 * and by one started for them (cold: the waiting CLI is ended before the POST, so agent-service
 * starts one), alternating; and, outside mainloop, a bare CLI pre-started with the same flags and
 * given one user message on stdin: sent -> first text delta, sent -> result line (the limit
 * mainloop can approach), plain and after the requests agent-service sends a waiting CLI. The bare
 * CLIs run between the turns (after each cold turn, one of each kind), so that both see the machine
 * at the same speed; after each warm turn a copy of the next waiting CLI (its command line,
 * environment and directory, so the same sandbox, tools and MCP servers), given the warm requests and
 * then the very text that turn's CLI was handed (its context and message: the same prompt); and,
 * after each cold turn, a bare {@code claude -p} started with its prompt as an argument (the issue's
 * reference for a turn with nothing started ahead). Each sample starts on an idle machine (the previous turn's CLI exited, the
 * waiting one booted and idle). Run: {@code ./mvnw -Pbench verify -pl ...,e2e-tests -Dtest=WarmTurnsBench}
 * ({@code -Dbench.warm.turns=N}, default 30 of each, after {@value #WARM_UP} warm-up turns: the services' JIT compiles a turn's code
 * within about ten turns, and until then its compiler threads take CPU from the CLI). Prints numbers;
 * asserts only that warm turns ran warm and cold ones cold. For warm turns also: POST sent -> the CLI
 * handed the turn ({@code turn.started}'s {@code occurredAt}, the services' clock) and memory-service's
 * context assembly ({@code assemblyMs} of the turn's recorded context); for them and the bare CLI
 * given the warm requests, when the stand-in got the CLI's request (the CLI's own time lies before
 * it, the answer's way back to the owner after it).
 */
@Tag("bench")
@ExtendWith(RunningStack.class)
class WarmTurnsBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TURN = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** Turns before the measured ones (not recorded). */
    private static final int WARM_UP = 15;

    @Test
    void warmColdAndBarePreStarted(LocalStack stack, ThreadClient thread) throws Exception {
        int turns = Integer.getInteger("bench.warm.turns", 30);
        long agent = TurnOverheadBench.agentPid(stack);
        List<Double> warmDelta = new ArrayList<>();
        List<Double> warmDone = new ArrayList<>();
        List<Double> coldDelta = new ArrayList<>();
        List<Double> coldDone = new ArrayList<>();
        List<Double> warmPost = new ArrayList<>();
        List<Double> coldPost = new ArrayList<>();
        List<Double> warmHanded = new ArrayList<>();
        List<Double> warmAssembly = new ArrayList<>();
        List<Double> bareDelta = new ArrayList<>();
        List<Double> bareDone = new ArrayList<>();
        List<Double> bareColdDelta = new ArrayList<>();
        List<Double> initDelta = new ArrayList<>();
        List<Double> initDone = new ArrayList<>();
        List<Double> warmToRequest = new ArrayList<>();
        List<Double> warmAfterRequest = new ArrayList<>();
        List<Double> initToRequest = new ArrayList<>();
        List<Double> initAfterRequest = new ArrayList<>();
        List<Double> sameDelta = new ArrayList<>();
        List<Double> sameDone = new ArrayList<>();
        List<Double> sameToRequest = new ArrayList<>();
        StandInAnthropicApi standIn = stack.standIn().orElseThrow();
        List<ProcessHandle> previous = List.of();
        try (SseClient stream = thread.stream(null)) {
            for (int i = 0; i < WARM_UP + 2 * turns; i++) {
                boolean cold = i >= WARM_UP && (i - WARM_UP) % 2 == 1;
                // the previous turn's CLI gone first: else it could pass for the waiting one, still booting
                CliProcesses.awaitExit(previous, SETTLE);
                CliProcesses.awaitSettled(agent, i == 0 ? 0 : 1, 1, SETTLE);
                if (cold) {
                    CliProcesses.killAll(agent); // nothing waits: agent-service starts a CLI for the turn
                } else if (i >= WARM_UP && CliProcesses.of(agent).isEmpty()) {
                    throw new AssertionError("no CLI waits before warm turn " + i);
                }
                long sent = System.nanoTime();
                java.time.Instant sentAt = java.time.Instant.now(); // the services' clock (one machine)
                String prompt = "bench turn " + i + " [[reply:ok " + i + "]]";
                thread.post(prompt);
                long accepted = System.nanoTime();
                Frame started = stream.await(f -> f.event().equals("turn.started"), TURN);
                previous = CliProcesses.of(agent); // the CLI running this turn (the next one starts after it)
                String turnId = started.field("turnId");
                stream.await(f -> f.event().equals("text.delta") && f.field("turnId").equals(turnId), TURN);
                long firstDelta = System.nanoTime();
                java.time.Instant firstDeltaAt = java.time.Instant.now();
                Frame end = stream.await(f -> (f.event().equals("turn.completed") || f.event().equals("turn.failed"))
                        && f.field("turnId").equals(turnId), TURN);
                long done = System.nanoTime();
                if (!end.event().equals("turn.completed")) {
                    throw new AssertionError("turn " + i + " failed: " + end.data());
                }
                if (i >= WARM_UP - 2 && (i < WARM_UP || cold)) { // two unrecorded warm-up pairs first
                    // the bare CLIs between the turns, one of each kind, so that all see the same machine
                    // (its speed drifts over minutes); on an idle one: the turn's CLI gone, the waiting one booted
                    CliProcesses.awaitExit(previous, SETTLE);
                    CliProcesses.awaitSettled(agent, 1, SETTLE);
                    double[] sample = bare(standIn, "bench bare " + i + " [[reply:ok " + i + "]]", null, false);
                    double[] initialized = bare(standIn, "bench bare init " + i + " [[reply:ok " + i + "]]", null, true);
                    double coldStart = bareCold(standIn, "bench bare cold " + i + " [[reply:ok " + i + "]]");
                    if (i >= WARM_UP) {
                        bareColdDelta.add(coldStart);
                        bareDelta.add(sample[0]);
                        bareDone.add(sample[1]);
                        initDelta.add(initialized[0]);
                        initDone.add(initialized[1]);
                        initToRequest.add(initialized[2]);
                        initAfterRequest.add(initialized[0] - initialized[2]);
                    }
                }
                if (i < WARM_UP) {
                    continue;
                }
                String expected = cold ? "false" : "true";
                if (!expected.equals(started.field("warm"))) {
                    throw new AssertionError("turn " + i + " was to run " + (cold ? "cold" : "warm") + ": " + started.data());
                }
                (cold ? coldDelta : warmDelta).add((firstDelta - sent) / 1e6);
                (cold ? coldDone : warmDone).add((done - sent) / 1e6);
                (cold ? coldPost : warmPost).add((accepted - sent) / 1e6);
                if (!cold) {
                    java.time.Instant handed = java.time.Instant.parse(started.field("occurredAt"));
                    warmHanded.add(Duration.between(sentAt, handed).toNanos() / 1e6);
                    java.time.Instant request = requestAt(standIn, prompt, sentAt);
                    warmToRequest.add(Duration.between(handed, request).toNanos() / 1e6);
                    warmAfterRequest.add(Duration.between(request, firstDeltaAt).toNanos() / 1e6);
                    warmAssembly.add(thread.get("/api/thread/turns/" + turnId + "/context").path("assemblyMs").asDouble());
                    // the same prompt outside mainloop: the text the warm CLI was handed (context and message,
                    // only the new message's number marked), given to a copy of the next waiting CLI (its command
                    // line, environment and directory: the same sandbox, tools and MCP servers) after the warm requests
                    String handedText = handedText(standIn, prompt, sentAt);
                    String key = "bench same " + i + " [[reply:";
                    CliProcesses.awaitExit(previous, SETTLE);
                    CliProcesses.awaitSettled(agent, 1, SETTLE);
                    double[] same = copyOfWaiting(standIn, CliProcesses.of(agent).getFirst(),
                            replaceLast(handedText, "bench turn " + i + " [[reply:", key), key);
                    sameDelta.add(same[0]);
                    sameDone.add(same[1]);
                    sameToRequest.add(same[2]);
                }
            }
        }

        System.out.printf("%nwarm turns against cold and a bare pre-started CLI, %d samples each (after %d warm-up turns), "
                + "%d cores, JDK %s%n", turns, WARM_UP, Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf("%-56s %8s %8s %8s %8s%n", "", "p50 ms", "p95 ms", "p99 ms", "max ms");
        print("warm: POST -> first text.delta on SSE", warmDelta);
        print("cold: POST -> first text.delta on SSE", coldDelta);
        print("bare pre-started CLI: message -> first text delta", bareDelta);
        print("bare, after the warm requests: -> first text delta", initDelta);
        print("copy of the waiting CLI, the turn's prompt: -> delta", sameDelta);
        print("bare cold `claude -p`: started -> first text delta", bareColdDelta);
        print("warm: of which POST sent -> 202 received", warmPost);
        print("warm: of which POST sent -> CLI handed the turn", warmHanded);
        print("warm: of which context assembly (memory-service)", warmAssembly);
        print("warm: of which handed -> the stand-in has its request", warmToRequest);
        print("warm: of which that request -> first text.delta on SSE", warmAfterRequest);
        print("bare, after the warm requests: -> its request", initToRequest);
        print("bare, after the warm requests: request -> first delta", initAfterRequest);
        print("copy of the waiting CLI, the turn's prompt: -> request", sameToRequest);
        print("cold: of which POST sent -> 202 received", coldPost);
        print("warm: POST -> turn.completed on SSE", warmDone);
        print("cold: POST -> turn.completed on SSE", coldDone);
        print("bare pre-started CLI: message -> result line", bareDone);
        print("bare, after the warm requests: -> result line", initDone);
        print("copy of the waiting CLI, the turn's prompt: -> result", sameDone);
        System.out.printf("warm p50 above the bare CLI's p50: %.1f ms (first delta), %.1f ms (completed)%n",
                pct(sorted(warmDelta), 50) - pct(sorted(bareDelta), 50), pct(sorted(warmDone), 50) - pct(sorted(bareDone), 50));
        System.out.printf("warm p50 above the p50 of the bare CLI given the warm requests (mainloop's own work): %.1f ms (first delta), "
                + "%.1f ms (completed)%n%n", pct(sorted(warmDelta), 50) - pct(sorted(initDelta), 50),
                pct(sorted(warmDone), 50) - pct(sorted(initDone), 50));
        System.out.printf("warm p50 above the p50 of a copy of the waiting CLI given the turn's prompt (the same CLI, outside mainloop): "
                + "%.1f ms (first delta), %.1f ms (completed)%n%n", pct(sorted(warmDelta), 50) - pct(sorted(sameDelta), 50),
                pct(sorted(warmDone), 50) - pct(sorted(sameDone), 50));
    }

    /** agent-service's default {@code mainloop.agent.tools}: a main-thread turn's built-in tools. */
    private static final String MAIN_THREAD_TOOLS = "Bash,Read,Edit,Write,Glob,Grep,WebFetch,WebSearch";

    /**
     * A CLI started with the warm turns' flags (stream-json in and out, partial messages, bypassed
     * permissions, the built-in tools of agent-service's default {@code mainloop.agent.tools}, no
     * settings, no MCP), left to boot until idle, then given one user message.
     *
     * @param prompt the user message's text
     * @param key the text by which the stand-in's request is found; {@code prompt} when null
     * @param startRequests whether it first gets the control protocol's {@code initialize} and
     *        {@code get_context_usage} requests, as a warm CLI of agent-service does when it starts
     *
     * @return ms from writing the message to the first text delta line, to the result line, and to
     *         the stand-in's receipt of the CLI's request
     */
    private static double[] bare(StandInAnthropicApi standIn, String prompt, String key, boolean startRequests)
            throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("bench-bare-home");
        try {
            return measure(standIn, bareCli(standIn, home, List.of("--input-format", "stream-json")), prompt, key,
                    startRequests);
        } finally {
            deleteTree(home);
        }
    }

    /**
     * The reference of a turn without any start-up ahead of it: a bare CLI with {@link #bare}'s flags
     * but given {@code prompt} as {@code claude -p}'s argument, timed from its start.
     *
     * @return ms from starting the process to its first text delta line
     */
    private static double bareCold(StandInAnthropicApi standIn, String prompt) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("bench-bare-home");
        try {
            ProcessBuilder builder = bareCli(standIn, home, List.of(prompt));
            long started = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            return readToEnd(process, started)[0];
        } finally {
            deleteTree(home);
        }
    }

    /**
     * The bare CLI's command in {@code home}: {@code claude -p}, then {@code input} (the prompt, or
     * the stream-json input flags), stream-json output with partial messages, bypassed permissions,
     * the built-in tools of agent-service's default {@code mainloop.agent.tools}, no settings, no MCP.
     */
    private static ProcessBuilder bareCli(StandInAnthropicApi standIn, Path home, List<String> input)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ClaudeCode.ensureInstalled().toString(), "-p"));
        command.addAll(input);
        command.addAll(List.of("--output-format", "stream-json", "--verbose",
                "--include-partial-messages", "--session-id", UUID.randomUUID().toString(),
                "--permission-mode", "bypassPermissions", "--tools", MAIN_THREAD_TOOLS, "--setting-sources", "",
                "--strict-mcp-config"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().putAll(ClaudeCode.offlineEnvironment(home, standIn.baseUrl()));
        builder.environment().put("IS_SANDBOX", "1");
        return builder;
    }

    /** Deletes the bare CLI's home and temp files, gone with it. */
    private static void deleteTree(Path home) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(home)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * A copy of agent-service's waiting CLI {@code waiting}: its command line (another session id),
     * environment and working directory, read from {@code /proc}, so the same sandbox, tools and MCP
     * servers; measured as {@link #bare} measures, after the warm requests.
     */
    private static double[] copyOfWaiting(StandInAnthropicApi standIn, ProcessHandle waiting, String prompt, String key)
            throws IOException, InterruptedException {
        Path proc = Path.of("/proc", Long.toString(waiting.pid()));
        List<String> command = new ArrayList<>(List.of(Files.readString(proc.resolve("cmdline")).split("\\u0000")));
        int session = command.indexOf("--session-id");
        if (session < 0) {
            throw new AssertionError("the waiting CLI has no --session-id to replace: " + command);
        }
        command.set(session + 1, UUID.randomUUID().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(Files.readSymbolicLink(proc.resolve("cwd")).toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        for (String entry : Files.readString(proc.resolve("environ")).split("\\u0000")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                builder.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return measure(standIn, builder, prompt, key, true);
    }

    /** Starts {@code builder}'s CLI and measures it as described at {@link #bare}. */
    private static double[] measure(StandInAnthropicApi standIn, ProcessBuilder builder, String prompt, String key,
            boolean startRequests) throws IOException, InterruptedException {
        Process process = builder.start();
        if (startRequests) {
            process.getOutputStream().write(START_REQUESTS.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }
        CliProcesses.awaitIdle(process.toHandle(), SETTLE);
        String message = JSON.createObjectNode().put("type", "user").set("message",
                JSON.createObjectNode().put("role", "user").put("content", prompt)).toString() + "\n";
        long sent = System.nanoTime();
        java.time.Instant sentAt = java.time.Instant.now();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(message.getBytes(StandardCharsets.UTF_8));
        }
        double[] times = readToEnd(process, sent);
        double toRequest = Duration.between(sentAt, requestAt(standIn, key != null ? key : prompt, sentAt)).toNanos() / 1e6;
        return new double[] {times[0], times[1], toRequest};
    }

    /**
     * Reads the CLI's stream-json output until it exits.
     *
     * @param since {@link System#nanoTime()} to count from
     * @return ms from {@code since} to the first text delta line and to the result line
     * @throws AssertionError if either is missing
     */
    private static double[] readToEnd(Process process, long since) throws IOException, InterruptedException {
        double firstDelta = -1;
        double result = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (firstDelta < 0 && line.contains("\"text_delta\"")) {
                    firstDelta = (System.nanoTime() - since) / 1e6;
                }
                if (line.contains("\"type\":\"result\"")) {
                    result = (System.nanoTime() - since) / 1e6;
                }
            }
        }
        process.waitFor();
        if (firstDelta < 0 || result < 0) {
            throw new AssertionError("the bare CLI gave no text delta or no result");
        }
        return new double[] {firstDelta, result};
    }

    /** When the stand-in got the first Messages API request since {@code after} that holds {@code prompt}. */
    private static java.time.Instant requestAt(StandInAnthropicApi standIn, String prompt, java.time.Instant after) {
        return standIn.received().stream().filter(r -> !r.at().isBefore(after) && r.body().toString().contains(prompt))
                .findFirst().map(StandInAnthropicApi.Received::at)
                .orElseThrow(() -> new AssertionError("the stand-in got no request for " + prompt));
    }

    /**
     * The text agent-service handed the warm CLI for the turn whose message is {@code prompt}: the
     * last user text holding it in the stand-in's first request for it (the CLI sends it as written,
     * adding its own {@code <system-reminder>} blocks beside it).
     */
    private static String handedText(StandInAnthropicApi standIn, String prompt, java.time.Instant after) {
        return standIn.received().stream().filter(r -> !r.at().isBefore(after) && r.body().toString().contains(prompt))
                .findFirst().stream()
                .flatMap(r -> r.body().path("messages").valueStream())
                .filter(m -> "user".equals(m.path("role").asText()))
                .flatMap(m -> m.path("content").isTextual() ? java.util.stream.Stream.of(m.path("content").asText())
                        : m.path("content").valueStream().map(block -> block.path("text").asText("")))
                .filter(text -> text.contains(prompt))
                .reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("the stand-in got no request with " + prompt + " in a user text"));
    }

    /** {@code text} with the last occurrence of {@code target} replaced. */
    private static String replaceLast(String text, String target, String replacement) {
        int at = text.lastIndexOf(target);
        if (at < 0) {
            throw new AssertionError("no " + target + " in the handed text");
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }

    /** The requests agent-service's {@code WarmPool} sends a CLI it starts ahead of a turn (a copy: e2e-tests sees no agent-service class). */
    private static final String START_REQUESTS =
            "{\"type\":\"control_request\",\"request_id\":\"bench-init\",\"request\":{\"subtype\":\"initialize\"}}\n"
            + "{\"type\":\"control_request\",\"request_id\":\"bench-context\","
            + "\"request\":{\"subtype\":\"get_context_usage\",\"detail\":\"summary\"}}\n";

    private static List<Double> sorted(List<Double> values) {
        return values.stream().sorted().toList();
    }

    private static void print(String label, List<Double> values) {
        List<Double> sorted = sorted(values);
        System.out.printf("%-56s %8.1f %8.1f %8.1f %8.1f%n", label, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted.getLast());
    }

    /** Nearest-rank percentile of sorted values. */
    private static double pct(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
