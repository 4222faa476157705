package io.mainloop.memory.search;

import java.time.Instant;
import java.util.UUID;

/**
 * One search result.
 *
 * @param id the message, summary or memory id
 * @param kind MESSAGE, SUMMARY or MEMORY
 * @param role a message's role (USER, ASSISTANT, SYSTEM); null otherwise
 * @param sub a memory's kind (DECISION, FACT, ...) or a summary's granularity; null for messages
 * @param date when it was written (a summary: the start of its period)
 * @param score the fused relevance, higher is better (comparable within one search only)
 * @param snippet the best-matching passage, HTML-escaped, query terms in {@code <mark>}
 * @param messageId the message to zoom to (a memory: the one it came from), or null
 * @param summaryId the summary of the message's day, or the summary a memory came from, or null
 * @param sessionId the conversation session ({@code s:<imported id>}) or day ({@code d:<YYYY-MM-DD>}) of a message
 * @param externalId an imported message's outside id, or null
 */
public record SearchHit(UUID id, String kind, String role, String sub, Instant date, double score, String snippet,
                        UUID messageId, UUID summaryId, String sessionId, String externalId) {

    /** The snippet as plain text: marks removed, HTML entities decoded. */
    public String plainSnippet() {
        return snippet.replace("<mark>", "").replace("</mark>", "").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&");
    }
}
