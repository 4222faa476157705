package io.mainloop.memory.search;

import java.time.Instant;

/**
 * One document of the search index.
 *
 * @param id unique key ({@code M:<message>#<chunk>}, {@code S:<thread>|<session>}, {@code Y:<summary>}, {@code R:<memory>})
 * @param ref what a change replaces or deletes: the message, summary or memory id, or the session key
 * @param threadId the thread it belongs to (searches never cross threads)
 * @param kind MESSAGE, SESSION, SUMMARY or MEMORY
 * @param role a message's role (USER, ASSISTANT, SYSTEM), else null
 * @param sub a memory's kind (DECISION, FACT, ...) or a summary's granularity, else null
 * @param time when it was written (a message's, memory's time; a summary's or session's start)
 * @param text the indexed and highlighted text
 * @param keys first-person fact and preference sentences ({@link KeyEnricher}), or ""
 * @param vector unit-length embedding, or null
 * @param messageId the message to zoom to (messages, memories taken from one), or null
 * @param summaryId the summary a memory came from, or null
 * @param sessionId the session key the message belongs to ({@code s:<imported session>} or {@code d:<day>})
 * @param externalId an imported message's outside id, or null
 */
public record IndexedDoc(String id, String ref, String threadId, String kind, String role, String sub, Instant time,
                         String text, String keys, float[] vector, String messageId, String summaryId, String sessionId,
                         String externalId) {
}
