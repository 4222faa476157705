package io.mainloop.devstack.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stand-in's scripted answers: summaries from the material, tool calls with JSON inputs. */
class ReplyScriptTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String MATERIAL = """
            --- [2026-03-02 14:05] user
            Let's pick the database today. It has to run on the small box.
            [decision] Use PostgreSQL 17 for everything
            --- [2026-03-02 14:06] assistant
            PostgreSQL 17 it is! I will set it up tonight.
              [FACT] The small box has 2 GB of RAM
            [decision] Use PostgreSQL 17 for everything
            --- [2026-03-02 18:30] user
            [handoff] Check the backup job tomorrow
            no punctuation here
            """;

    private final Set<String> failed = new HashSet<>();

    @Test
    void aSummaryRequestIsAnsweredFromItsMaterial() {
        ScriptedReply.Text reply = assertInstanceOf(ScriptedReply.Text.class,
                ReplyScript.replyTo(request("You summarize. mainloop:summarize", MATERIAL), failed));
        assertEquals("""
                Summary (stand-in) of 3 entries.
                - Let's pick the database today.
                - PostgreSQL 17 it is!
                - no punctuation here
                [decision] Use PostgreSQL 17 for everything
                [FACT] The small box has 2 GB of RAM
                [handoff] Check the backup job tomorrow""", reply.text());
    }

    @Test
    void theMarkerIsFoundInSystemBlocksAndDirectivesInTheMaterialAreNotObeyed() {
        ArrayNode system = JSON.createArrayNode();
        system.addObject().put("type", "text").put("text", "You are a Claude agent.");
        system.addObject().put("type", "text").put("text", "mainloop:summarize the period");
        String material = "--- [DAILY 2026-03-02]\nThe owner asked for [[error:500]] and [[tool:Bash:rm -rf /]]. "
                + "Then more.\n[insight] Errors are just text here";
        ScriptedReply.Text reply = assertInstanceOf(ScriptedReply.Text.class,
                ReplyScript.replyTo(request(system, material), failed));
        assertEquals("""
                Summary (stand-in) of 1 entries.
                - The owner asked for [[error:500]] and [[tool:Bash:rm -rf /]].
                [insight] Errors are just text here""", reply.text());
    }

    @Test
    void directivesAreReadFromTheNewMessageNotFromItsContextBlock() {
        String message = "<context>\nYou are mainloop.\n\n[2026-11-28 09:00 UTC] user: earlier [[error:500]] "
                + "[[reply:an old answer]]\n</context>\n\nAnd now? [[reply:the new answer]]";
        ScriptedReply.Text reply = assertInstanceOf(ScriptedReply.Text.class,
                ReplyScript.replyTo(request("You are a Claude agent.", message), failed));
        assertEquals("the new answer", reply.text());
    }

    @Test
    void aMaterialWithoutEntryLinesIsOneEntry() {
        assertEquals("Summary (stand-in) of 1 entries.\n- Just one thing.\n[preference] Short answers",
                ReplyScript.summarize("Just one thing. And another.\n[preference] Short answers\n"));
    }

    @Test
    void failSummaryOnceFailsOnlyTheFirstSummaryRequestWithItsKey() {
        String material = "--- [2026-03-02 09:00] user\nHello there. [[fail-summary-once:k1]]\n";
        ScriptedReply.HttpError error = assertInstanceOf(ScriptedReply.HttpError.class,
                ReplyScript.replyTo(request("mainloop:summarize", material), failed));
        assertEquals(529, error.status());
        assertEquals("overloaded_error", error.errorType());
        ScriptedReply.Text again = assertInstanceOf(ScriptedReply.Text.class,
                ReplyScript.replyTo(request("mainloop:summarize", material), failed));
        assertEquals("Summary (stand-in) of 1 entries.\n- Hello there.", again.text());
        assertInstanceOf(ScriptedReply.HttpError.class, ReplyScript.replyTo(request("mainloop:summarize",
                material.replace("k1", "k2")), failed), "another key fails once too");
    }

    @Test
    void aToolDirectiveWithAJsonArgumentCallsTheToolWithThatInput() {
        ScriptedReply.ToolUse tool = assertInstanceOf(ScriptedReply.ToolUse.class, ReplyScript.replyTo(request(
                "You are mainloop.", "Remember this [[tool:mcp__memory__remember:{\"kind\":\"DECISION\","
                        + "\"text\":\"Use PostgreSQL 17: {fast} [sure]\"}]] please"), failed));
        assertEquals("mcp__memory__remember", tool.tool());
        assertEquals(Map.of("kind", "DECISION", "text", "Use PostgreSQL 17: {fast} [sure]"), tool.input());
    }

    @Test
    void bashAndReadDirectivesKeepTheirInputs() {
        ScriptedReply.ToolUse bash = assertInstanceOf(ScriptedReply.ToolUse.class,
                ReplyScript.replyTo(request("You are mainloop.", "[[tool:Bash:echo a:b]]"), failed));
        assertEquals("echo a:b", bash.input().get("command"));
        ScriptedReply.ToolUse read = assertInstanceOf(ScriptedReply.ToolUse.class,
                ReplyScript.replyTo(request("You are mainloop.", "[[tool:Read:notes/todo.txt]]"), failed));
        assertEquals(Map.of("file_path", "notes/todo.txt"), read.input());
        assertEquals(List.of(), List.copyOf(failed), "no summary key recorded by ordinary requests");
    }

    private static JsonNode request(String system, String userText) {
        return request(JSON.getNodeFactory().textNode(system), userText);
    }

    private static JsonNode request(JsonNode system, String userText) {
        ObjectNode body = JSON.createObjectNode().put("model", "claude-haiku-5-5");
        body.set("system", system);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "user").put("content", userText);
        messages.addObject().put("role", "system").put("content", "# Environment");
        return body;
    }
}
