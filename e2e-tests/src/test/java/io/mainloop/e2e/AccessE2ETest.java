package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.access.AccessTokens;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import io.mainloop.e2e.support.ThreadClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cloudflare Access through the whole system (docs/access.md): the gateway checks each request's
 * Access token against a stand-in of the team's signing keys, and each allowed identity has a
 * thread of its own in every service. What Ada posts is answered and kept in Ada's thread, never
 * in Bob's or the owner's; Bob's memories, schedules, tasks and inbox are Bob's, even a schedule
 * that names the owner's thread; the owner's identity gets the owner's thread.
 */
@ExtendWith(RunningStack.class)
class AccessE2ETest {

    private static final Duration TURN = Duration.ofSeconds(90);

    @Test
    void eachIdentityHasAThreadOfItsOwnInEveryService(LocalStack stack, ThreadClient owner) throws Exception {
        ThreadClient ada = ThreadClient.ofAccess(stack.gatewayUrl(), AccessTokens.valid("ada@example.com"));
        ThreadClient bob = ThreadClient.ofAccess(stack.gatewayUrl(), AccessTokens.valid("bob@example.com"));
        ThreadClient ownerByAccess = ThreadClient.ofAccess(stack.gatewayUrl(), AccessTokens.valid(RunningStack.ACCESS_OWNER));
        assertEquals("ada@example.com", ada.get("/api/session").path("identity").asText());

        String secret = "Ada's plan " + UUID.randomUUID();
        ada.post(secret + " [[reply:Noted: " + secret + ".]]");
        awaitInHistory(ada, "ASSISTANT", "Noted: " + secret); // the answer, not the message that asked for it
        assertFalse(texts(bob).toString().contains(secret), "never in Bob's thread");
        assertFalse(texts(owner).toString().contains(secret), "nor in the owner's");

        List<String[]> made = new ArrayList<>();
        try {
            String fact = "Bob rows on Sundays (" + UUID.randomUUID() + ")";
            Reply memory = bob.call("POST", "/api/memories", ThreadClient.json("kind", "FACT", "text", fact));
            assertEquals(201, memory.status(), memory.body().toString());
            made.add(new String[] {"bob", "/api/memories/" + memory.body().path("id").asText()});
            assertTrue(bob.get("/api/memories").toString().contains(fact), "in Bob's memories");
            assertFalse(owner.get("/api/memories").toString().contains(fact), "not in the owner's");
            assertFalse(ada.get("/api/memories").toString().contains(fact), "not in Ada's");

            Reply schedule = bob.call("POST", "/api/schedules", "{\"title\":\"Water\",\"prompt\":\"Water the plants\","
                    + "\"runAt\":\"2099-01-05T08:00\",\"threadId\":\"main\"}");
            assertEquals(201, schedule.status(), schedule.body().toString());
            String scheduleId = schedule.body().path("id").asText();
            made.add(new String[] {"bob", "/api/schedules/" + scheduleId});
            String bobsThread = schedule.body().path("threadId").asText();
            assertFalse(bobsThread.isBlank(), schedule.body().toString());
            assertNotEquals("main", bobsThread, "Bob cannot schedule into the owner's thread");
            assertTrue(bob.get("/api/schedules").toString().contains(scheduleId), "in Bob's schedules");
            assertFalse(owner.get("/api/schedules").toString().contains(scheduleId), "not in the owner's");
            assertEquals(404, owner.call("GET", "/api/schedules/" + scheduleId, null).status(), "nor shown to the owner");

            Reply task = bob.call("POST", "/api/tasks", "{\"title\":\"Bob's count\",\"prompt\":\"Count. [[reply:Done for Bob.]]\"}");
            assertEquals(201, task.status(), task.body().toString());
            String taskId = task.body().path("id").asText();
            assertEquals(bobsThread, task.body().path("threadId").asText(), "in Bob's thread");
            assertTrue(bob.get("/api/tasks").path("tasks").toString().contains(taskId), "in Bob's tasks");
            assertFalse(owner.get("/api/tasks").path("tasks").toString().contains(taskId), "not in the owner's");
            awaitInHistory(bob, "SYSTEM", "Done for Bob."); // its result came into Bob's thread
            awaitInHistory(bob, "ASSISTANT", "Done for Bob."); // and the assistant reported it there
            assertTrue(bob.get("/api/inbox").path("items").toString().contains(taskId), "its result in Bob's inbox");
            assertFalse(owner.get("/api/inbox").path("items").toString().contains(taskId), "not in the owner's");

            String ownersFact = "The owner's fact (" + UUID.randomUUID() + ")";
            Reply ownersMemory = owner.call("POST", "/api/memories", ThreadClient.json("kind", "FACT", "text", ownersFact));
            assertEquals(201, ownersMemory.status(), ownersMemory.body().toString());
            made.add(new String[] {"owner", "/api/memories/" + ownersMemory.body().path("id").asText()});
            assertTrue(ownerByAccess.get("/api/memories").toString().contains(ownersFact),
                    "the owner's identity through Access gets the owner's thread");
            assertFalse(bob.get("/api/memories").toString().contains(ownersFact));
        } finally {
            for (String[] m : made) {
                assertEquals(204, (m[0].equals("bob") ? bob : owner).call("DELETE", m[1], null).status(), "deleted " + m[1]);
            }
        }
    }

    /** Waits until a message of {@code role} in {@code client}'s thread contains {@code text}. */
    private static void awaitInHistory(ThreadClient client, String role, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TURN.toNanos();
        while (System.nanoTime() < deadline) {
            if (texts(client).stream().anyMatch(t -> t.startsWith(role + ": ") && t.contains(text))) {
                return;
            }
            Thread.sleep(200); // polling the history for the answer
        }
        throw new AssertionError(role + " " + text + " never came into the thread: " + texts(client));
    }

    private static List<String> texts(ThreadClient client) {
        List<String> texts = new ArrayList<>();
        client.history(200).forEach(m -> texts.add(m.path("role").asText() + ": " + m.path("text").asText()));
        return texts;
    }
}
