package io.mainloop.memory.search;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Search at scale, one thread: (1) import throughput through {@code POST /api/threads/{t}/import}
 * with real bge-small embeddings of both roles ({@code -Dbench.scale.import=N} messages, default
 * 20,000, LongMemEval_S conversations from {@code -Dbench.lme}); (2) the thread filled up to
 * {@code -Dbench.scale.messages=N} (default 1,000,000) by {@code COPY} straight into the service's
 * {@code message} table, text drawn from the imported conversations' words and a random unit
 * vector of {@link Embedder#DIMENSION} floats as each message's stored embedding (a real ONNX
 * embedding of a million messages does not fit on 2 cores); (3) an index rebuild from PostgreSQL
 * (index deleted, every feed row indexed again), then its background merges awaited; (4)
 * {@code -Dbench.scale.searches=N} searches (default 200, after 20 for warm-up) through
 * {@code GET /api/threads/{t}/search}, one at a time,
 * each embedding its query with the real model. Prints the numbers, asserts nothing.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbench verify -pl contracts,service-support,devstack,memory-service
 * -Dtest=SearchScaleBench -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.scale.messages=N]}.
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@TestProfile(SearchScaleBench.Profile.class)
class SearchScaleBench {

    /** Both roles embedded, no compaction, no scheduled catch-up during the timed rebuild, long HTTP and SQL calls. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mainloop.memory.search.embed-roles", "USER,ASSISTANT",
                    "mainloop.memory.compaction.enabled", "false",
                    "mainloop.memory.search.catch-up", "24h",
                    "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout", "3600",
                    "quarkus.http.test-timeout", "60m");
        }
    }

    /** Messages per COPY statement (one transaction each). */
    static final int COPY_BATCH = 20_000;
    /** Messages per imported or seeded session. */
    static final int SESSION_MESSAGES = 20;

    @Inject
    SearchIndexer indexer;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    SearchService search;

    @Inject
    Embedder embedder;

    @Test
    void searchAtScale() throws Exception {
        String root = System.getProperty("mainloop.project.root", ".");
        Path file = Path.of(System.getProperty("bench.lme", root + "/../shared/bench/longmemeval_s_dev.json.gz"));
        Assumptions.assumeTrue(Files.exists(file), "no LongMemEval file at " + file + " (-Dbench.lme=<path>)");
        int total = Integer.getInteger("bench.scale.messages", 1_000_000);
        int importCount = Math.min(total, Integer.getInteger("bench.scale.import", 20_000));
        int searches = Integer.getInteger("bench.scale.searches", 200);
        String thread = "scale-" + UUID.randomUUID().toString().substring(0, 8);

        List<Map<String, String>> conversation = new ArrayList<>();
        List<String> questions = new ArrayList<>();
        read(file, importCount, conversation, questions);

        // (1) import with real embeddings of both roles, ~one haystack per request
        long importStart = System.nanoTime();
        for (int from = 0; from < conversation.size(); from += 500) {
            StringBuilder ndjson = new StringBuilder();
            for (Map<String, String> line : conversation.subList(from, Math.min(conversation.size(), from + 500))) {
                ndjson.append(json.writeValueAsString(line)).append('\n');
            }
            given().contentType("application/x-ndjson").body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                    .post("/api/threads/{t}/import", thread).then().statusCode(200);
        }
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        System.out.printf("SearchScale: imported %d messages in %.0f s%n", conversation.size(), importSeconds);

        // (2) the rest of the thread by COPY, random unit vectors, before the imported conversations
        long seedStart = System.nanoTime();
        int seeded = seed(thread, total - conversation.size(), words(conversation));
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        System.out.printf("SearchScale: seeded %d messages in %.0f s%n", seeded, seedSeconds);

        // (3) rebuild from PostgreSQL
        long rebuildStart = System.nanoTime();
        indexer.deleteIndex();
        indexer.catchUp();
        double rebuildSeconds = (System.nanoTime() - rebuildStart) / 1e9;
        // the segments flushed by the rebuild go on merging (HNSW graphs built again) in the
        // background; searches are timed after that, as the index stands from then on
        indexer.index().awaitMerges();
        double mergedSeconds = (System.nanoTime() - rebuildStart) / 1e9;
        int documents = indexer.index().size();
        long diskMb = indexer.index().bytesOnDisk() >> 20;
        int segments = indexer.index().segments();
        System.out.printf("SearchScale: rebuilt in %.0f s, merged by %.0f s: %d documents, %d MB, %d segments%n",
                rebuildSeconds, mergedSeconds, documents, diskMb, segments);

        // (4) searches, one at a time: over HTTP, then the same in process, then the query embedding alone,
        // then in process without the proximity clauses
        List<Double> ms = new ArrayList<>();
        List<Double> inProcess = new ArrayList<>();
        List<Double> embedding = new ArrayList<>();
        List<Double> withoutProximity = new ArrayList<>();
        Ranking plain = Ranking.DEFAULT.withProximity(0, Ranking.DEFAULT.proximitySlop());
        for (int i = 0; i < searches + 20; i++) {
            String q = questions.get(i % questions.size());
            long s0 = System.nanoTime();
            given().queryParam("q", q).queryParam("limit", 10).get("/api/threads/{t}/search", thread)
                    .then().statusCode(200);
            long s1 = System.nanoTime();
            search.search(new SearchQuery(thread, q, 10, null, null, java.util.Set.of(), null, null));
            long s2 = System.nanoTime();
            embedder.embedQuery(q);
            long s3 = System.nanoTime();
            search.ranking(plain);
            search.search(new SearchQuery(thread, q, 10, null, null, java.util.Set.of(), null, null));
            search.ranking(Ranking.DEFAULT);
            long s4 = System.nanoTime();
            if (i >= 20) {
                ms.add((s1 - s0) / 1e6);
                inProcess.add((s2 - s1) / 1e6);
                embedding.add((s3 - s2) / 1e6);
                withoutProximity.add((s4 - s3) / 1e6);
            }
        }
        double[] plainSorted = withoutProximity.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] service = inProcess.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] embed = embedding.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.gc();
        long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;

        String out = String.format(Locale.ROOT, """

                ## Search at scale: one thread of %,d messages (%,d imported with real embeddings, %,d seeded with random unit vectors)

                | measure | value |
                |---|---|
                | search p50 / p95 / max (HTTP, one at a time, query embedded by the real model; %d searches) | %.1f / %.1f / %.1f ms |
                | the same searches in process (SearchService, embedding included) p50 / p95 | %.1f / %.1f ms |
                | the same in process without the proximity clauses p50 / p95 | %.1f / %.1f ms |
                | query embedding alone p50 / p95 | %.1f / %.1f ms |
                | import throughput (both roles embedded for real, chunked; %,d messages) | %.1f messages/s |
                | seeding by COPY (random unit vectors of %d floats) | %.0f messages/s |
                | index rebuild from PostgreSQL (stored embeddings) | %.0f s for %,d documents (%.0f messages/s) |
                | the rebuild's background merges finished (searches timed after) | %.0f s after its start |
                | index size on disk, segments | %,d MB, %d segments |
                | heap used after GC (model loaded, index open) | %,d MB |
                """, conversation.size() + seeded, conversation.size(), seeded, sorted.length,
                LongMemEvalBench.pct(sorted, 50), LongMemEvalBench.pct(sorted, 95), sorted[sorted.length - 1],
                LongMemEvalBench.pct(service, 50), LongMemEvalBench.pct(service, 95), LongMemEvalBench.pct(plainSorted, 50),
                LongMemEvalBench.pct(plainSorted, 95), LongMemEvalBench.pct(embed, 50),
                LongMemEvalBench.pct(embed, 95),
                conversation.size(), conversation.size() / importSeconds, Embedder.DIMENSION, seeded / seedSeconds,
                rebuildSeconds, documents, (conversation.size() + seeded) / rebuildSeconds, mergedSeconds, diskMb,
                segments, heapMb);
        System.out.println(out);
        Path report = Path.of(root, "memory-service", "target", "search-scale.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, out);
    }

    /** The first {@code max} messages of the file's haystacks (both roles, dated) and its questions. */
    private void read(Path file, int max, List<Map<String, String>> lines, List<String> questions) throws Exception {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             JsonParser parser = json.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(file + " is not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode q = json.readTree(parser);
                questions.add(q.get("question").asText());
                JsonNode sessions = q.get("haystack_sessions");
                for (int s = 0; s < sessions.size() && lines.size() < max; s++) {
                    String sid = q.get("question_id").asText() + "/" + q.get("haystack_session_ids").get(s).asText();
                    LocalDateTime start = LocalDateTime.parse(q.get("haystack_dates").get(s).asText(),
                            LongMemEvalBench.LME_DATE);
                    JsonNode turns = sessions.get(s);
                    for (int i = 0; i < turns.size() && lines.size() < max; i++) {
                        String content = turns.get(i).get("content").asText();
                        if (content.isBlank()) {
                            continue;
                        }
                        Map<String, String> line = new LinkedHashMap<>();
                        line.put("role", turns.get(i).get("role").asText());
                        line.put("text", content);
                        line.put("timestamp", start.plusMinutes(i).toInstant(ZoneOffset.UTC).toString());
                        line.put("externalId", sid + "_" + (i + 1));
                        line.put("sessionId", sid);
                        lines.add(line);
                    }
                }
            }
        }
    }

    /** The words of the conversations, repeats kept (so drawing from it follows their frequencies). */
    private static List<String> words(List<Map<String, String>> lines) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> l : lines) {
            for (String w : l.get("text").split("[^A-Za-z0-9']+")) {
                if (!w.isEmpty() && out.size() < 2_000_000) {
                    out.add(w);
                }
            }
        }
        if (out.isEmpty()) {
            out.add("message");
        }
        return out;
    }

    /**
     * COPYs {@code count} messages into {@code thread}: alternating USER and ASSISTANT, 8-60 words
     * each, one a minute ending 30 days before the first LongMemEval date, sessions of
     * {@link #SESSION_MESSAGES}, each with a random unit vector as its one chunk's embedding.
     */
    private int seed(String thread, int count, List<String> words) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        Instant end = Instant.parse("2022-01-01T00:00:00Z");
        int done = 0;
        while (done < count) {
            int n = Math.min(COPY_BATCH, count - done);
            StringBuilder rows = new StringBuilder(n * 1700);
            for (int i = done; i < done + n; i++) {
                StringBuilder text = new StringBuilder();
                int length = 8 + random.nextInt(53);
                for (int w = 0; w < length; w++) {
                    text.append(w == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
                }
                float[] v = new float[Embedder.DIMENSION];
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) gaussian(random);
                }
                byte[] bytes = Vectors.toBytes(List.of(Vectors.normalized(v)));
                rows.append(UUID.randomUUID()).append('\t').append(thread).append('\t').append(UUID.randomUUID())
                        .append('\t').append(i % 2 == 0 ? "USER" : "ASSISTANT").append('\t').append(text)
                        .append('\t').append(end.minus(count - i, ChronoUnit.MINUTES)).append('\t')
                        .append("seed-").append(i / SESSION_MESSAGES).append("\t\\\\x");
                for (byte b : bytes) {
                    rows.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
                }
                rows.append('\n');
            }
            try (Connection c = dataSource.getConnection()) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY message (id, thread_id, turn_id, role, text, created_at, session_id, embedding) FROM STDIN",
                        new java.io.StringReader(rows.toString()));
            }
            done += n;
            if (done % 100_000 == 0) {
                System.out.printf("SearchScale: %d messages seeded%n", done);
            }
        }
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("ANALYZE message");
            st.execute("ANALYZE search_feed");
        }
        return count;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
