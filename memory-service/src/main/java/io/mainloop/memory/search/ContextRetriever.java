package io.mainloop.memory.search;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.pyramid.ContextItem;
import io.mainloop.memory.service.TokenEstimator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The retrieved layer of a turn's context: the top search hits for the new message(s) that are
 * not already in the context, as many as fit in {@code mainloop.memory.search.context-tokens}
 * (and the room left), at most {@code mainloop.memory.search.context-hits}. Never fails or holds up
 * a turn: it searches the index as it is (current within {@code search.catch-up}) without waiting
 * for a catch-up; while the index or the model is still loading, or if search fails, the layer is
 * empty.
 */
@ApplicationScoped
public class ContextRetriever {

    private static final Logger LOG = Logger.getLogger(ContextRetriever.class);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** Longest single retrieved item, characters. */
    static final int ITEM_MAX_CHARS = 1200;

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    @Inject
    SearchService search;

    @Inject
    SearchIndexer indexer;

    @Inject
    Embedder embedder;

    /**
     * Starts embedding the search query of a turn for {@code newText} (a message about to be
     * stored) so that {@link #retrieve} with the same text does not wait for the model.
     */
    public void prefetch(String newText) {
        if (config.search().enabled() && newText != null && !newText.isBlank()) {
            embedder.prefetchQuery(search.denseText(queryOf(newText)));
        }
    }

    /** The search query for new message(s): their text, at most 2,000 characters. */
    static String queryOf(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    /**
     * Items for the context, best first.
     *
     * @param query the new message(s) text
     * @param inContext ids (message, summary, memory) already in the context
     * @param room tokens left in the whole budget
     */
    public List<ContextItem> retrieve(String threadId, String query, Set<String> inContext, int room) {
        List<ContextItem> out = new ArrayList<>();
        if (!config.search().enabled() || !indexer.ready() || !embedder.loaded() || query == null || query.isBlank()) {
            return out;
        }
        int budget = Math.min(config.search().contextTokens(), room);
        if (budget <= 0) {
            return out;
        }
        String q = queryOf(query);
        List<SearchHit> hits;
        try {
            // only the hits it takes get a snippet: those the context holds are skipped before highlighting
            hits = search.search(new SearchQuery(threadId, q, config.search().contextHits() + inContext.size() + 5, null,
                    null, Set.of(), null, time.now()), false, h -> inContext(h, inContext), config.search().contextHits());
        } catch (RuntimeException e) {
            LOG.warn("Retrieval for the turn's context failed; the retrieved layer stays empty: " + e.getMessage());
            return out;
        }
        for (SearchHit h : hits) { // at most context-hits
            String label = h.kind().toLowerCase(Locale.ROOT)
                    + (h.role() != null ? " " + h.role().toLowerCase(Locale.ROOT) : "")
                    + (h.sub() != null ? " " + h.sub().toLowerCase(Locale.ROOT) : "")
                    + " " + MINUTE.withZone(time.zone()).format(h.date());
            String snippet = h.plainSnippet();
            if (snippet.length() > ITEM_MAX_CHARS) {
                snippet = snippet.substring(0, ITEM_MAX_CHARS) + "…";
            }
            String text = "- [" + label + ", id " + h.id() + "] " + snippet;
            int tokens = TokenEstimator.estimateMessage(text);
            if (tokens > budget) {
                break;
            }
            budget -= tokens;
            out.add(new ContextItem("retrieved", h.id().toString(), label, text, tokens));
        }
        return out;
    }

    /** Whether {@code h} is already in the context: itself, or the message it is a part of. */
    private static boolean inContext(SearchHit h, Set<String> inContext) {
        return inContext.contains(String.valueOf(h.id())) || h.messageId() != null && "MESSAGE".equals(h.kind())
                && inContext.contains(h.messageId().toString());
    }
}
