package io.mainloop.memory.search;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the index documents of messages, sessions, summaries and memories ({@link IndexedDoc}). */
final class Documents {

    /** Most characters of a summary embedded (its start; the whole is indexed for BM25). */
    static final int EMBED_HEAD_CHARS = 2000;

    private Documents() {
    }

    /** A session's key: {@code s:<imported session id>} or {@code d:<day>}. */
    static String sessionKey(String sessionId, LocalDate day) {
        return sessionId != null ? "s:" + sessionId : "d:" + day;
    }

    static String sessionRef(String threadId, String key) {
        return "S:" + threadId + "|" + key;
    }

    /** One document per chunk of the message, each with its stored vector. */
    static List<IndexedDoc> message(SearchFeed.StoredMessage m, ZoneId zone) {
        List<String> chunks = Chunker.chunks(m.text());
        List<float[]> vectors = Vectors.fromBytes(m.embedding());
        String session = sessionKey(m.sessionId(), LocalDate.ofInstant(m.createdAt(), zone));
        String keys = "USER".equals(m.role()) ? KeyEnricher.keys(m.text()) : "";
        List<IndexedDoc> docs = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            docs.add(new IndexedDoc("M:" + m.id() + "#" + i, m.id().toString(), m.threadId(), "MESSAGE", m.role(), null,
                    m.createdAt(), chunks.get(i), i == 0 ? keys : "", i < vectors.size() ? vectors.get(i) : null,
                    m.id().toString(), null, session, m.externalId()));
        }
        return docs;
    }

    /** The session's document (the owner's side: its USER messages), or none if it has none. */
    static List<IndexedDoc> session(String threadId, String key, List<SearchFeed.StoredMessage> users) {
        if (users.isEmpty()) {
            return List.of();
        }
        String text = users.stream().map(SearchFeed.StoredMessage::text).collect(Collectors.joining("\n"));
        String keys = users.stream().map(u -> KeyEnricher.keys(u.text())).filter(k -> !k.isBlank())
                .collect(Collectors.joining(" "));
        List<float[]> vectors = new ArrayList<>();
        users.forEach(u -> vectors.addAll(Vectors.fromBytes(u.embedding())));
        return List.of(new IndexedDoc(sessionRef(threadId, key), sessionRef(threadId, key), threadId, "SESSION", "USER",
                null, users.getFirst().createdAt(), text, keys, Vectors.mean(vectors), users.getFirst().id().toString(),
                null, key, null));
    }

    static IndexedDoc summary(SearchFeed.StoredSummary s, float[] vector) {
        return new IndexedDoc("Y:" + s.id(), s.id().toString(), s.threadId(), "SUMMARY", null, s.granularity(),
                s.coversFrom(), s.text(), "", vector, null, s.id().toString(), null, null);
    }

    static IndexedDoc memory(SearchFeed.StoredMemory m, float[] vector) {
        return new IndexedDoc("R:" + m.id(), m.id().toString(), m.threadId(), "MEMORY", null, m.kind(), m.createdAt(),
                m.text(), m.text(), vector, m.sourceMessageId() == null ? null : m.sourceMessageId().toString(),
                m.sourceSummaryId() == null ? null : m.sourceSummaryId().toString(), null, null);
    }

    /** The start of a long text, for embedding. */
    static String head(String text) {
        return text.length() <= EMBED_HEAD_CHARS ? text : text.substring(0, EMBED_HEAD_CHARS);
    }
}
