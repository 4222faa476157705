package io.mainloop.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.e2e.support.RunningStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local sub-agent tasks: wall time of one task, then of 10 started at once (under the stack's
 * limit of 4 at a time), each a real CLI against the stand-in answering at once. Timed from the
 * API call to the last task's end. Run: {@code ./mvnw -Pbench verify}. Prints numbers; asserts
 * nothing about speed.
 */
@Tag("bench")
@ExtendWith(RunningStack.class)
class LocalTasksBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tenParallelTasksAgainstOne(LocalStack stack) throws Exception {
        String base = "http://127.0.0.1:" + stack.port("agent-service") + "/api/threads/bench-tasks-" + UUID.randomUUID()
                + "/tasks";
        token = stack.internalApiToken();
        run(base, 1); // warm-up
        double one = run(base, 1);
        double ten = run(base, 10);
        System.out.println();
        System.out.println("Local sub-agent tasks (real CLI, stand-in API, limit 4 at once):");
        System.out.println("| tasks started at once | wall time, s |");
        System.out.println("|---|---|");
        System.out.printf("| 1 | %.2f |%n", one);
        System.out.printf("| 10 | %.2f (%.1fx one task) |%n", ten, ten / one);
    }

    /** agent-service's internal API token. */
    private String token;

    /** Starts {@code n} tasks and returns the seconds until all have ended. */
    private double run(String base, int n) throws Exception {
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"[[reply:done " + i + "]]\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new AssertionError(created.body());
            }
            ids.add(JSON.readTree(created.body()).path("id").asText());
        }
        for (String id : ids) {
            while (true) {
                JsonNode task = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/" + id))
                        .header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                String phase = task.path("phase").asText();
                if (phase.equals("Succeeded")) {
                    break;
                }
                if (phase.equals("Failed") || phase.equals("Cancelled")) {
                    throw new AssertionError("task failed: " + task);
                }
                Thread.sleep(20); // polling the outcome
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
