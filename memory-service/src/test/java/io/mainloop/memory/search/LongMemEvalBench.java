package io.mainloop.memory.search;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LongMemEval_S retrieval (protocol: {@code ../shared/bench/README.md}, metrics as its
 * {@code eval_retrieval.py}): for each scored question its haystack sessions (both roles, with
 * their dates) are imported into a fresh thread through {@code POST /api/threads/{id}/import},
 * the question is searched through {@code GET /api/threads/{id}/search} (USER messages, as the
 * protocol indexes user turns; {@code asOf} = the question's date), and hits are mapped to
 * sessions and user turns. Prints session- and turn-level recall_any@5, recall_all@5,
 * recall_all@10 and NDCG@5 next to BM25 (k1 1.5, b 0.75, whitespace tokens, the README's
 * baseline) on the same data, search latency, import throughput and the index rebuild time.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbench verify -pl contracts,service-support,devstack,memory-service
 * -Dbench.lme=<file.json[.gz]> [-Dbench.lme.limit=N] [-Dbench.lme.stride=K] [-Dbench.lme.tune=true]}:
 * {@code limit} scores at most N questions, {@code stride} only every K-th (the file is grouped by
 * question type), {@code tune} also prints ranking variants ({@code -Dbench.lme.variants=a;b} only
 * those). Asserts nothing.
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@TestProfile(LongMemEvalBench.Profile.class)
class LongMemEvalBench {

    /**
     * The benchmark's settings: dense vectors for USER messages only (the protocol searches user
     * turns; assistant turns, two thirds of the tokens, stay BM25-only), no compaction (no
     * agent-service here), and HTTP calls that may take minutes (one import embeds ~500 turns).
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mainloop.memory.search.embed-roles", "USER",
                    "mainloop.memory.compaction.enabled", "false",
                    "quarkus.http.test-timeout", "10m");
        }
    }

    static final DateTimeFormatter LME_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd (EEE) HH:mm", Locale.ENGLISH);
    static final int HITS = 50;

    @Inject
    SearchService search;

    @Inject
    SearchIndexer indexer;

    @Inject
    ObjectMapper json;

    @Inject
    Embedder embedder;

    @Inject
    io.mainloop.memory.config.TimeSource time;

    /** Metric name to values per question, per system and level. */
    final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    final Map<String, Map<String, List<Double>>> byType = new TreeMap<>();
    /** Per scored question, in order: whether it is in the tuning half (even position in the file). */
    final List<Boolean> tuningHalf = new ArrayList<>();
    java.io.Writer dump;
    final List<Double> searchMs = new ArrayList<>();
    long importedMessages;
    long importNanos;
    long indexNanos;

    @Test
    void longMemEvalS() throws Exception {
        String root = System.getProperty("mainloop.project.root", ".");
        Path file = Path.of(System.getProperty("bench.lme", root + "/../shared/bench/longmemeval_s_dev.json.gz"));
        Assumptions.assumeTrue(Files.exists(file), "no LongMemEval file at " + file + " (-Dbench.lme=<path>)");
        int limit = Integer.getInteger("bench.lme.limit", Integer.MAX_VALUE);
        int stride = Math.max(1, Integer.getInteger("bench.lme.stride", 1));
        boolean tune = Boolean.getBoolean("bench.lme.tune");
        Map<String, Ranking> variants = new LinkedHashMap<>();
        variants.put("hybrid", Ranking.DEFAULT);
        if (tune) {
            Ranking d = Ranking.DEFAULT;
            variants.put("dense-only", d.withFusion(0, 1, d.rrfK()));
            variants.put("lexical-only", d.withFusion(1, 0, d.rrfK()));
            variants.put("no-time", d.withTime(0, 0, d.recencyHalfLifeDays()));
            variants.put("lex-0.2", d.withFusion(0.2, 0.8, 0));
            variants.put("lex-0.4, period-0.5", d.withFusion(0.4, 0.6, 0).withTime(0.5, d.recency(), d.recencyHalfLifeDays()));
            variants.put("session-doc-0.3", d.withSession(0.3, 0));
            variants.put("support-0.25", d.withSession(0, 0.25));
            variants.put("rrf-60", d.withFusion(1, 1, 60));
            variants.put("no-proximity", d.withProximity(0, d.proximitySlop()));
            variants.put("proximity-1.5", d.withProximity(1.5, d.proximitySlop()));
            variants.put("proximity-2.5", d.withProximity(2.5, d.proximitySlop()));
            variants.put("lex-0.25", d.withFusion(0.25, 0.75, 0));
            variants.put("lex-0.35", d.withFusion(0.35, 0.65, 0));
            variants.put("lex-0.4", d.withFusion(0.4, 0.6, 0));
            variants.put("period words in the dense query", d.withDenseWithoutPeriod(false));
        }
        String only = System.getProperty("bench.lme.variants", "");
        if (!only.isBlank()) {
            Set<String> wanted = Set.of(only.split(";"));
            variants.keySet().removeIf(name -> !name.equals("hybrid") && !wanted.contains(name));
        }
        String dumpPath = System.getProperty("bench.lme.dump");
        dump = dumpPath == null ? null : Files.newBufferedWriter(Path.of(dumpPath));
        String run = UUID.randomUUID().toString().substring(0, 8);
        int scored = 0;
        int seen = 0;
        long started = System.nanoTime();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             JsonParser parser = json.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(file + " is not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT && scored < limit) {
                JsonNode q = json.readTree(parser);
                int position = seen++;
                if (position % stride != 0) {
                    continue;
                }
                if (question(q, position, run, variants)) {
                    scored++;
                    if (scored % 10 == 0) {
                        System.out.printf("LongMemEval: %d questions scored, %.0f s%n", scored,
                                (System.nanoTime() - started) / 1e9);
                    }
                }
            }
        }
        search.ranking(Ranking.DEFAULT);
        if (dump != null) {
            dump.close();
        }

        System.out.printf("LongMemEval: import %.0f messages/s over %d messages%n",
                importedMessages / (importNanos / 1e9), importedMessages);
        long rebuildStart = System.nanoTime();
        indexer.deleteIndex();
        indexer.catchUp();
        long rebuildMs = (System.nanoTime() - rebuildStart) / 1_000_000;
        System.gc();
        long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;

        StringBuilder out = new StringBuilder("\n## LongMemEval_S retrieval, " + scored + " questions of " + file.getFileName()
                + " (tuning half: even positions in the file, held-out: odd)\n\n"
                + "| system | level | questions | recall_any@5 | recall_all@5 | recall_all@10 | ndcg@5 |\n|---|---|---|---|---|---|---|\n");
        for (var system : results.entrySet()) {
            for (String level : List.of("session", "turn")) {
                for (String half : List.of("all", "tuning", "held-out")) {
                    Map<String, List<Double>> m = system.getValue();
                    out.append(String.format(Locale.ROOT, "| %s | %s | %s (%d) | %.3f | %.3f | %.3f | %.3f |%n",
                            system.getKey(), level, half, count(half), avg(m.get(level + ".recall_any@5"), half),
                            avg(m.get(level + ".recall_all@5"), half), avg(m.get(level + ".recall_all@10"), half),
                            avg(m.get(level + ".ndcg@5"), half)));
                }
            }
        }
        out.append("\n| question type (hybrid) | n | session recall_all@5 | turn recall_all@10 |\n|---|---|---|---|\n");
        for (var type : byType.entrySet()) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f |%n", type.getKey(),
                    type.getValue().get("session.recall_all@5").size(), avg(type.getValue().get("session.recall_all@5")),
                    avg(type.getValue().get("turn.recall_all@10"))));
        }
        double[] ms = searchMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        out.append(String.format(Locale.ROOT, "%n| measure | value |%n|---|---|%n"
                        + "| search p50 / p95 (HTTP, query embedding included; %d searches, threads of ~500 user turns) | %.1f / %.1f ms |%n"
                        + "| import throughput (both roles; real embeddings of USER messages, chunked) | %.0f messages/s (%d messages) |%n"
                        + "| indexing after each import (caught up from the feed) | %.0f messages/s |%n"
                        + "| index rebuild from PostgreSQL (stored embeddings) | %d ms for %d documents, %d MB on disk |%n"
                        + "| heap used after GC (model loaded) | %d MB |%n",
                ms.length, pct(ms, 50), pct(ms, 95), importedMessages / (importNanos / 1e9), importedMessages, importedMessages / (indexNanos / 1e9), rebuildMs,
                indexer.index().size(), indexer.index().bytesOnDisk() >> 20, heapMb));
        System.out.println(out);
        Path report = Path.of(root, "memory-service", "target", "longmemeval.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, out.toString());
    }

    /** Imports, searches and scores one question; false if it is not scored (abstention, no user-side evidence). */
    private boolean question(JsonNode q, int position, String run, Map<String, Ranking> variants) throws Exception {
        String id = q.get("question_id").asText();
        if (id.endsWith("_abs")) {
            return false;
        }
        List<String> sessionIds = new ArrayList<>();
        List<String> sessionDocs = new ArrayList<>();
        List<String> turnIds = new ArrayList<>();
        List<String> turnDocs = new ArrayList<>();
        Set<String> goldSessions = new LinkedHashSet<>();
        Set<String> goldTurns = new LinkedHashSet<>();
        StringBuilder ndjson = new StringBuilder();
        int lines = 0;
        JsonNode sessions = q.get("haystack_sessions");
        for (int s = 0; s < sessions.size(); s++) {
            String sid = q.get("haystack_session_ids").get(s).asText();
            LocalDateTime start = LocalDateTime.parse(q.get("haystack_dates").get(s).asText(), LME_DATE);
            List<String> users = new ArrayList<>();
            JsonNode turns = sessions.get(s);
            for (int i = 0; i < turns.size(); i++) {
                JsonNode t = turns.get(i);
                String role = t.get("role").asText();
                String content = t.get("content").asText();
                if ("user".equals(role)) {
                    String tid = sid + "_" + (i + 1);
                    users.add(content);
                    turnIds.add(tid);
                    turnDocs.add(content);
                    if (t.path("has_answer").asBoolean(false)) {
                        goldTurns.add(tid);
                        goldSessions.add(sid);
                    }
                }
                if (content.isBlank()) {
                    continue;
                }
                Map<String, String> line = new LinkedHashMap<>();
                line.put("role", role);
                line.put("text", content);
                line.put("timestamp", start.plusMinutes(i).toInstant(ZoneOffset.UTC).toString());
                line.put("externalId", sid + "_" + (i + 1));
                line.put("sessionId", sid);
                ndjson.append(json.writeValueAsString(line)).append('\n');
                lines++;
            }
            sessionIds.add(sid);
            sessionDocs.add(String.join(" ", users));
        }
        if (goldTurns.isEmpty()) {
            return false;
        }
        String thread = "lme-" + run + "-" + id;
        long t0 = System.nanoTime();
        given().contentType("application/x-ndjson").body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/threads/{t}/import", thread).then().statusCode(200);
        importNanos += System.nanoTime() - t0;
        importedMessages += lines;
        long t1 = System.nanoTime();
        indexer.catchUpFresh();
        indexNanos += System.nanoTime() - t1;
        System.out.printf("LongMemEval: %s imported, %d messages in %.1f s, indexed in %.1f s%n", id, lines,
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);

        String question = q.get("question").asText();
        String asOf = LocalDateTime.parse(q.get("question_date").asText(), LME_DATE).toInstant(ZoneOffset.UTC).toString();
        String type = q.get("question_type").asText();
        tuningHalf.add(position % 2 == 0);
        if (dump != null) {
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("id", id);
            head.put("position", position);
            head.put("type", type);
            head.put("goldSessions", goldSessions);
            head.put("goldTurns", goldTurns);
            LmeFeatures.dump(dump, json, indexer.index(), embedder, thread, head, question,
                    java.time.Instant.parse(asOf), time.zone());
        }
        for (var variant : variants.entrySet()) {
            search.ranking(variant.getValue());
            long s0 = System.nanoTime();
            JsonPath found = given().queryParam("q", question).queryParam("asOf", asOf).queryParam("limit", HITS)
                    .queryParam("role", "USER").queryParam("kind", "MESSAGE")
                    .get("/api/threads/{t}/search", thread).then().statusCode(200).extract().jsonPath();
            if (variant.getKey().equals("hybrid")) {
                searchMs.add((System.nanoTime() - s0) / 1e6);
            }
            List<String> rankedSessions = new ArrayList<>();
            List<String> rankedTurns = new ArrayList<>();
            List<Map<String, Object>> hits = found.getList("hits");
            for (Map<String, Object> h : hits) {
                String session = (String) h.get("sessionId");
                if (session != null && session.startsWith("s:")) {
                    rankedSessions.add(session.substring(2));
                }
                if (h.get("externalId") != null && "USER".equals(h.get("role"))) {
                    rankedTurns.add((String) h.get("externalId"));
                }
            }
            score(variant.getKey(), "session", rankedSessions, goldSessions);
            System.out.printf(Locale.ROOT, "LongMemEval: %s %s %s %s session ndcg@5 %.3f, gold at %s%n", id,
                    position % 2 == 0 ? "tuning" : "held-out", type, variant.getKey(),
                    metrics(rankedSessions, goldSessions).get("ndcg@5"), ranks(rankedSessions, goldSessions));
            score(variant.getKey(), "turn", rankedTurns, goldTurns);
            if (variant.getKey().equals("hybrid")) {
                Map<String, List<Double>> t = byType.computeIfAbsent(type, k -> new HashMap<>());
                t.computeIfAbsent("session.recall_all@5", k -> new ArrayList<>())
                        .add(metrics(rankedSessions, goldSessions).get("recall_all@5"));
                t.computeIfAbsent("turn.recall_all@10", k -> new ArrayList<>())
                        .add(metrics(rankedTurns, goldTurns).get("recall_all@10"));
            }
        }
        score("BM25 (README baseline)", "session", bm25(question, sessionIds, sessionDocs), goldSessions);
        score("BM25 (README baseline)", "turn", bm25(question, turnIds, turnDocs), goldTurns);
        return true;
    }

    /** The 1-based ranks of {@code gold} in {@code ranked} (deduplicated), "-" for one not found. */
    static List<String> ranks(List<String> ranked, Set<String> gold) {
        List<String> uniq = new ArrayList<>(new LinkedHashSet<>(ranked));
        return gold.stream().map(g -> uniq.contains(g) ? String.valueOf(uniq.indexOf(g) + 1) : "-").toList();
    }

    private void score(String system, String level, List<String> ranked, Set<String> gold) {
        Map<String, List<Double>> m = results.computeIfAbsent(system, k -> new LinkedHashMap<>());
        metrics(ranked, gold).forEach((k, v) -> m.computeIfAbsent(level + "." + k, x -> new ArrayList<>()).add(v));
    }

    /** eval_retrieval.py's metrics: ranked ids deduplicated keeping order. */
    static Map<String, Double> metrics(List<String> ranked, Set<String> gold) {
        List<String> uniq = new ArrayList<>(new LinkedHashSet<>(ranked));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k : new int[] {5, 10}) {
            Set<String> top = new LinkedHashSet<>(uniq.subList(0, Math.min(k, uniq.size())));
            out.put("recall_any@" + k, gold.stream().anyMatch(top::contains) ? 1.0 : 0.0);
            out.put("recall_all@" + k, top.containsAll(gold) ? 1.0 : 0.0);
            double dcg = 0;
            for (int i = 0; i < Math.min(k, uniq.size()); i++) {
                dcg += gold.contains(uniq.get(i)) ? 1 / (Math.log(i + 2) / Math.log(2)) : 0;
            }
            double ideal = 0;
            for (int i = 0; i < Math.min(gold.size(), k); i++) {
                ideal += 1 / (Math.log(i + 2) / Math.log(2));
            }
            out.put("ndcg@" + k, ideal == 0 ? 0 : dcg / ideal);
        }
        return out;
    }

    /** eval_retrieval.py's BM25 (k1 1.5, b 0.75, eps 0.25, split on spaces), ids best first. */
    static List<String> bm25(String query, List<String> ids, List<String> docs) {
        List<Map<String, Integer>> tf = new ArrayList<>();
        int[] dl = new int[docs.size()];
        Map<String, Integer> df = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            Map<String, Integer> counts = new HashMap<>();
            String[] tokens = docs.get(i).split(" ", -1);
            dl[i] = tokens.length;
            for (String t : tokens) {
                counts.merge(t, 1, Integer::sum);
            }
            counts.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
            tf.add(counts);
        }
        double avgdl = Arrays.stream(dl).average().orElse(0);
        int n = docs.size();
        Map<String, Double> idf = new HashMap<>();
        df.forEach((w, c) -> idf.put(w, Math.log((n - c + 0.5) / (c + 0.5))));
        double floor = 0.25 * idf.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        idf.replaceAll((w, v) -> v > 0 ? v : floor);
        double[] score = new double[n];
        String[] q = query.split(" ", -1);
        for (int i = 0; i < n; i++) {
            for (String w : q) {
                Integer f = tf.get(i).get(w);
                if (f != null) {
                    score[i] += idf.get(w) * f * 2.5 / (f + 1.5 * (0.25 + 0.75 * dl[i] / avgdl));
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(score[b], score[a]));
        return order.stream().map(ids::get).toList();
    }

    static double avg(List<Double> values) {
        return values == null || values.isEmpty() ? Double.NaN
                : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Mean of the values of the questions in {@code half}: all, tuning (even positions) or held-out (odd). */
    double avg(List<Double> values, String half) {
        if (values == null) {
            return Double.NaN;
        }
        List<Double> picked = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (half.equals("all") || tuningHalf.get(i) == half.equals("tuning")) {
                picked.add(values.get(i));
            }
        }
        return avg(picked);
    }

    long count(String half) {
        return tuningHalf.stream().filter(t -> half.equals("all") || t == half.equals("tuning")).count();
    }

    static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
