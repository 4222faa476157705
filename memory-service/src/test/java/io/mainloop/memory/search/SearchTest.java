package io.mainloop.memory.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.memory.pyramid.ContextItem;
import io.mainloop.memory.pyramid.ContextLayer;
import io.mainloop.memory.pyramid.PyramidContextAssembler;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.service.ContextAssembler;
import io.mainloop.support.mcp.McpTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Recall against real PostgreSQL and Kafka: NDJSON import, hybrid search over REST and MCP, the
 * retrieved layer of a turn's context, and an index rebuilt from PostgreSQL after its loss.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class SearchTest {

    @ConfigProperty(name = "mainloop.memory.mcp.secret")
    String secret;

    @ConfigProperty(name = "mainloop.memory.search.index-dir")
    String indexDir;

    @Inject
    SearchIndexer indexer;

    @Inject
    PyramidContextAssembler assembler;

    @Inject
    io.mainloop.memory.config.MemoryConfig config;

    @Inject
    io.mainloop.memory.config.TimeSource time;

    @Inject
    SearchFeed feed;

    @Inject
    Embedder embedder;

    @Inject
    SearchService search;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    final String thread = "search-" + UUID.randomUUID();

    /** A small history: a kayak, a garden in March and in June, the database decision, some chatter. */
    static List<Map<String, String>> history() {
        return List.of(
                line("user", "I finally bought a red kayak and took it out paddling on the lake on Saturday.", "2025-02-10T09:00:00Z", "k1", "a"),
                line("assistant", "Nice! Paddling on a calm lake is a great way to start.", "2025-02-10T09:01:00Z", "k2", "a"),
                line("user", "For the garden I want to plant tomatoes and basil along the south fence.", "2025-03-12T18:00:00Z", "g1", "b"),
                line("user", "For the garden I am thinking about roses and lavender by the gate.", "2025-06-20T18:00:00Z", "g2", "c"),
                line("user", "We decided to move the invoices service from MySQL to PostgreSQL next quarter.", "2025-04-02T10:00:00Z", "d1", "d"),
                line("user", "My dentist appointment got moved to Thursday afternoon.", "2025-04-15T08:00:00Z", "x1", "e"),
                line("user", "Can you suggest a quick vegetarian pasta recipe for tonight?", "2025-04-20T17:00:00Z", "x2", "f"),
                line("assistant", "Try penne with roasted peppers, garlic and a little parmesan.", "2025-04-20T17:01:00Z", "x3", "f"),
                line("user", "Remind me how the quarterly tax estimate is computed for freelancers.", "2025-05-01T12:00:00Z", "x4", "g"));
    }

    static Map<String, String> line(String role, String text, String timestamp, String externalId, String session) {
        return Map.of("role", role, "text", text, "timestamp", timestamp, "externalId", externalId, "sessionId", session);
    }

    static String ndjson(List<Map<String, String>> lines) {
        StringBuilder out = new StringBuilder();
        for (Map<String, String> l : lines) {
            out.append(toJson(l)).append('\n');
        }
        return out.toString();
    }

    static String toJson(Map<String, String> map) {
        StringBuilder out = new StringBuilder("{");
        for (var e : map.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(e.getKey()).append("\":\"").append(e.getValue().replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }

    JsonPath importInto(String threadId, String body, int status) {
        return given().contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/threads/{t}/import", threadId)
                .then().statusCode(status).extract().jsonPath();
    }

    JsonPath search(String threadId, String q, String... params) {
        var request = given().queryParam("q", q);
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam(params[i], params[i + 1]);
        }
        return request.get("/api/threads/{t}/search", threadId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void lexicalSemanticAndPeriodQueriesFindTheirMessages() {
        JsonPath imported = importInto(thread, ndjson(history()), 200);
        assertEquals(9, imported.getInt("imported"));

        // lexical: the words of the message, stemmed ("migrating" ~ "move" is not needed: PostgreSQL is)
        JsonPath lexical = search(thread, "PostgreSQL invoices", "asOf", "2025-07-01T00:00:00Z");
        assertEquals("d1", lexical.getString("hits[0].externalId"));
        assertEquals("MESSAGE", lexical.getString("hits[0].kind"));
        assertEquals("USER", lexical.getString("hits[0].role"));
        assertTrue(lexical.getString("hits[0].snippet").contains("<mark>PostgreSQL</mark>"),
                lexical.getString("hits[0].snippet"));
        assertEquals(lexical.getString("hits[0].id"), lexical.getString("hits[0].messageId"));

        // semantic: no word in common with the kayak message
        JsonPath semantic = search(thread, "the boat", "asOf", "2025-07-01T00:00:00Z");
        assertEquals("k1", semantic.getString("hits[0].externalId"), semantic.prettify());

        // a named period, resolved against asOf: March wins over June for the same topic, and the other way round
        JsonPath march = search(thread, "what did I say last March about the garden", "asOf", "2025-07-01T00:00:00Z");
        assertEquals("g1", march.getString("hits[0].externalId"), march.prettify());
        JsonPath june = search(thread, "what did I say last month about the garden", "asOf", "2025-07-01T00:00:00Z");
        assertEquals("g2", june.getString("hits[0].externalId"), june.prettify());

        // filters: kind and time range
        JsonPath onlyMemories = search(thread, "kayak", "kind", "MEMORY");
        assertTrue(onlyMemories.getList("hits").isEmpty());
        JsonPath inApril = search(thread, "garden kayak invoices", "from", "2025-04-01", "to", "2025-05-01");
        assertEquals("d1", inApril.getString("hits[0].externalId"));
        assertEquals(List.of("d1", "x1", "x2", "x3"), inApril.getList("hits.externalId", String.class).stream().sorted()
                .toList(), inApril.prettify());

        given().get("/api/threads/{t}/search", thread).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("q"));
        given().queryParam("q", "x").queryParam("kind", "EMAIL").get("/api/threads/{t}/search", thread).then()
                .statusCode(400).body("detail", containsString("kind"));
        given().queryParam("q", "x").queryParam("limit", "0").get("/api/threads/{t}/search", thread).then()
                .statusCode(400).body("detail", containsString("limit"));
    }

    @Test
    void aSearchOnlySeesItsOwnThread() {
        String other = "search-other-" + UUID.randomUUID();
        importInto(other, ndjson(List.of(line("user", "The secret code word is xylophone-quokka.", "2025-01-01T00:00:00Z",
                "s1", "z"))), 200);
        importInto(thread, ndjson(List.of(line("user", "Nothing to see here, just musical instruments.",
                "2025-01-01T00:00:00Z", "n1", "z"))), 200);
        assertEquals(1, search(other, "xylophone quokka").getList("hits").size());
        given().queryParam("q", "xylophone quokka secret code word").get("/api/threads/{t}/search", thread).then()
                .statusCode(200).body("hits.externalId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("s1")))
                .body("hits.snippet", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.not(containsString("quokka"))));
    }

    @Test
    void importIsIdempotentByExternalIdAndAllOrNothing() {
        String body = ndjson(history());
        assertEquals(9, importInto(thread, body, 200).getInt("imported"));
        JsonPath again = importInto(thread, body, 200);
        assertEquals(0, again.getInt("imported"));
        assertEquals(9, again.getInt("skipped"));
        assertEquals(1, search(thread, "kayak").getList("hits.externalId").stream().filter("k1"::equals).count());

        String bad = toJson(line("user", "The lighthouse keeper is called Ambrose.", "2025-01-01T00:00:00Z", "b1", "h"))
                + "\n" + toJson(line("user", "Ambrose paints the lighthouse every spring.", "2025-01-02T00:00:00Z", "b2", "h"))
                + "\n{\"role\":\"user\",\"text\":\"no time\"}\n"
                + "not json at all\n";
        given().contentType("application/x-ndjson").body(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/threads/{t}/import", thread).then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("line 3: timestamp is required"))
                .body("detail", containsString("line 4: not a JSON object"));
        assertTrue(search(thread, "lighthouse Ambrose").getList("hits.externalId").stream()
                .noneMatch(id -> "b1".equals(id) || "b2".equals(id)));
        given().contentType("application/x-ndjson").body("\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/threads/{t}/import", thread).then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aLostIndexIsRebuiltFromPostgresqlWithTheSameResults() {
        importInto(thread, ndjson(history()), 200);
        List<String> before = search(thread, "garden plants", "asOf", "2025-07-01T00:00:00Z").getList("hits.id");
        List<Object> scoresBefore = search(thread, "garden plants", "asOf", "2025-07-01T00:00:00Z").getList("hits.score");

        long rebuilds = indexer.rebuilds();
        indexer.deleteIndex();

        JsonPath after = search(thread, "garden plants", "asOf", "2025-07-01T00:00:00Z");
        assertEquals(before, after.getList("hits.id"));
        // BM25's statistics span the whole index (every thread's documents, deleted ones until merged),
        // so a rebuild may move a score in its last digit; the ranking must stay the same
        List<Object> scoresAfter = after.getList("hits.score");
        assertEquals(scoresBefore.size(), scoresAfter.size());
        for (int i = 0; i < scoresBefore.size(); i++) {
            assertEquals(((Number) scoresBefore.get(i)).doubleValue(), ((Number) scoresAfter.get(i)).doubleValue(), 0.002,
                    "score of hit " + i);
        }
        assertTrue(indexer.rebuilds() > rebuilds, "not rebuilt");
        assertTrue(Files.isDirectory(Path.of(indexDir)));
    }

    @Test
    void theAssistantSearchesThroughMcp() {
        importInto(thread, ndjson(history()), 200);
        String token = McpTokens.token(secret, thread);
        String session = given().contentType("application/json").accept("application/json, text/event-stream")
                .header(McpTokens.THREAD_HEADER, thread).header("Authorization", "Bearer " + token)
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-03-26", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))))
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
        given().contentType("application/json").accept("application/json, text/event-stream")
                .header("Mcp-Session-Id", session)
                .header(McpTokens.THREAD_HEADER, thread).header("Authorization", "Bearer " + token)
                .body(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                        "params", Map.of("name", "search_memory", "arguments", Map.of("query", "the boat", "limit", 3))))
                .post("/mcp").then().statusCode(200)
                .body(containsString("red kayak")).body(containsString("message, user, 2025-02-10"));
    }

    /**
     * A message of the owner {@code daysAgo} days ago, then 130 long messages of small talk, two a
     * day from 100 days ago: more than a context holds.
     */
    static List<Map<String, String>> oldFactThenChatter(String fact, int daysAgo, Instant now) {
        List<Map<String, String>> lines = new ArrayList<>();
        lines.add(line("user", fact, now.minus(daysAgo, ChronoUnit.DAYS).toString(), "fact", "old"));
        String filler = "We talked at length about the weather, the traffic on the ring road and the football. ".repeat(12);
        for (int i = 0; i < 130; i++) {
            lines.add(line(i % 2 == 0 ? "user" : "assistant", "Chat " + i + ": " + filler,
                    now.minus(100 - i / 2, ChronoUnit.DAYS).toString(), "f" + i, "day" + i / 2));
        }
        return lines;
    }

    /** A new (not stored) message of the owner in this test's thread. */
    MessageEntity newMessage(String text, Instant now) {
        MessageEntity message = new MessageEntity();
        message.id = UUID.randomUUID();
        message.threadId = thread;
        message.role = io.mainloop.contracts.Role.USER;
        message.text = text;
        message.createdAt = now;
        return message;
    }

    @Test
    void aTurnsContextRetrievesWhatTheRestOfTheContextLeftOut() {
        Instant now = Instant.now();
        List<Map<String, String>> lines = oldFactThenChatter("My passport number ends in 4471 and it expires in October.",
                200, now);
        importInto(thread, ndjson(lines), 200);

        indexer.catchUp();
        MessageEntity question = newMessage("When does my passport expire?", now);
        ContextAssembler.AssembledContext context = QuarkusTransaction.requiringNew()
                .call(() -> assembler.assemble(thread, List.of(question)));
        ContextLayer retrieved = context.layers().stream().filter(l -> l.name().equals("retrieved")).findFirst().orElseThrow();
        assertFalse(retrieved.items().isEmpty(), "nothing retrieved");
        assertTrue(retrieved.items().getFirst().text().contains("passport number ends in 4471"), retrieved.toString());
        assertTrue(retrieved.tokens() <= 1500);
        List<String> elsewhere = context.layers().stream().filter(l -> !l.name().equals("retrieved"))
                .flatMap(l -> l.items().stream()).map(ContextItem::id).toList();
        assertTrue(retrieved.items().stream().noneMatch(i -> elsewhere.contains(i.id())), "repeated in context");
        assertTrue(context.systemPrompt().contains("passport number ends in 4471"));
        assertTrue(context.estimatedTokens() <= context.budgetTokens());
    }

    @Test
    void aTurnsContextRetrievesPastTheManyHitsTheContextAlreadyHolds() {
        // the hits the context already holds are skipped, however many rank above the one it needs
        Instant now = Instant.now();
        // the chatter is more than the context's budget: the old answer is not in it
        List<Map<String, String>> lines = oldFactThenChatter(
                "The spare key of the boat shed hangs behind the fuse box in the garage.", 300, now);
        for (int i = 0; i < 20; i++) {
            lines.add(line("user", "Where is the spare key of the boat shed? Still looking, try " + i + ".",
                    now.minus(120 - i, ChronoUnit.MINUTES).toString(), "ask" + i, "today"));
        }
        importInto(thread, ndjson(lines), 200);
        indexer.catchUp();
        String q = "Where is the spare key of the boat shed?";
        List<SearchHit> ranked = search.search(new SearchQuery(thread, q, 60, null, null, Set.of(), null, now));
        int answerRank = java.util.stream.IntStream.range(0, ranked.size())
                .filter(i -> ranked.get(i).plainSnippet().contains("fuse box")).findFirst().orElseThrow();
        assertTrue(answerRank >= 2 * config.search().contextHits(),
                "the old answer must rank below many messages in context for this test to mean anything: " + answerRank);

        MessageEntity question = newMessage(q, now);
        ContextAssembler.AssembledContext context = QuarkusTransaction.requiringNew()
                .call(() -> assembler.assemble(thread, List.of(question)));
        ContextLayer recent = context.layers().stream().filter(l -> l.name().equals("recent")).findFirst().orElseThrow();
        assertEquals(20, recent.items().size(), "every message of the last two hours is in context");
        ContextLayer retrieved = context.layers().stream().filter(l -> l.name().equals("retrieved")).findFirst().orElseThrow();
        assertTrue(retrieved.items().stream().anyMatch(i -> i.text().contains("behind the fuse box")),
                "ranked " + answerRank + ": " + retrieved);
    }

    @Test
    void aSecondReplicaCatchesUpWithoutSkippingAMessageCommittedLate() throws Exception {
        SearchIndexer replica = new SearchIndexer();
        replica.config = config;
        replica.time = time;
        replica.feed = feed;
        replica.embedder = embedder;
        replica.dirOverride = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "search-index-replica-");
        try {
            replica.catchUp();
            UUID slow = UUID.randomUUID();
            UUID fast = UUID.randomUUID();
            try (java.sql.Connection first = dataSource.getConnection()) {
                first.setAutoCommit(false);
                insertMessage(first, slow, "The slow transaction stored the word quasar.");
                // a later transaction commits first: its feed row is newer than the open one's
                try (java.sql.Connection second = dataSource.getConnection()) {
                    insertMessage(second, fast, "The fast transaction stored the word nebula.");
                }
                assertTrue(replica.catchUp(), "the committed row waits behind the open transaction");
                assertEquals(0, replica.index().countRef(slow.toString()) + replica.index().countRef(fast.toString()));
                first.commit();
            }
            assertFalse(replica.catchUp());
            assertTrue(replica.index().countRef(slow.toString()) > 0, "the late commit was skipped");
            assertTrue(replica.index().countRef(fast.toString()) > 0);
            // the service's own index (the other replica) has both too
            List<String> hits = search(thread, "quasar nebula").getList("hits.id");
            assertTrue(hits.containsAll(List.of(slow.toString(), fast.toString())), hits.toString());
        } finally {
            replica.deleteIndex();
        }
    }

    /**
     * A turn's query embedded ahead (while its message is stored) is the vector its search uses,
     * taken once; untaken ones (messages answered together) do not pile up.
     */
    @Test
    void queryEmbeddedAheadIsTheSameVectorAndTakenOnce() {
        String query = "where did I go paddling last winter? " + UUID.randomUUID();
        float[] inline = embedder.embedQuery(query); // also waits for the model
        embedder.prefetchQuery(query);
        assertTrue(embedder.isWaiting(query));
        float[] ahead = embedder.embedQuery(query);
        assertFalse(embedder.isWaiting(query), "taken by the search");
        org.junit.jupiter.api.Assertions.assertArrayEquals(inline, ahead, 1e-6f);
        for (int i = 0; i <= Embedder.MAX_PREFETCHED; i++) {
            embedder.prefetchQuery("an untaken query " + i);
        }
        assertTrue(embedder.waitingQueries() <= Embedder.MAX_PREFETCHED, "untaken queries are dropped");
    }

    private void insertMessage(java.sql.Connection c, UUID id, String text) throws java.sql.SQLException {
        try (var st = c.prepareStatement("INSERT INTO message (id, thread_id, role, text, created_at, turn_id, proactive) "
                + "VALUES (?, ?, 'USER', ?, now(), ?, false)")) {
            st.setObject(1, id);
            st.setString(2, thread);
            st.setString(3, text);
            st.setObject(4, UUID.randomUUID());
            st.executeUpdate();
        }
    }
}
