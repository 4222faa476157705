package io.mainloop.memory.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunks of long messages, and the first-person keys pulled out by rules. */
class ChunkerTest {

    @Test
    void aLongMessageIsCutIntoOverlappingChunksAtSentenceEnds() {
        String sentence = "The quick brown fox jumps over the lazy dog near the river bank. ";
        String text = sentence.repeat(60) + "The detail at the very end is 4471.";
        List<String> chunks = Chunker.chunks(text);
        assertTrue(chunks.size() > 3, chunks.size() + " chunks");
        for (String c : chunks) {
            assertTrue(c.length() <= Chunker.MAX_CHARS, c.length() + " chars");
        }
        assertTrue(chunks.getLast().endsWith("4471."));
        assertTrue(chunks.get(1).startsWith("The quick"), chunks.get(1));
        assertTrue(text.indexOf(chunks.get(1)) < text.indexOf(chunks.get(0)) + chunks.get(0).length(), "no overlap");
        assertEquals(List.of("short"), Chunker.chunks("short"));
    }

    @Test
    void firstPersonFactsAndPreferencesBecomeKeys() {
        String keys = KeyEnricher.keys("Hi there! I bought a new espresso machine last week. What do you think "
                + "of grinders? My sister's name is Lena. The weather is nice.");
        assertTrue(keys.contains("I bought a new espresso machine"), keys);
        assertTrue(keys.contains("My sister's name is Lena."), keys);
        assertTrue(!keys.contains("grinders") && !keys.contains("weather"), keys);
        assertEquals("", KeyEnricher.keys("Tell me a joke?"));
    }
}
