package io.mainloop.memory.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mainloop.memory.repository.MemoryEntity.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaggedLinesTest {

    @Test
    void taggedLinesAreFoundWithOrWithoutBulletsAndEmptyOnesAreSkipped() {
        String text = """
                ## Decisions
                - [decision] Use PostgreSQL 17 for the ledger.
                [FACT]: The boiler code is 4471.
                * [handoff] Call the plumber on Monday
                We discussed the [decision] inline, which is not a tagged line.
                [insight]
                [preference] -   Short answers.
                """;
        assertEquals(List.of(new TaggedLines.Tagged(Kind.DECISION, "Use PostgreSQL 17 for the ledger."),
                new TaggedLines.Tagged(Kind.FACT, "The boiler code is 4471."),
                new TaggedLines.Tagged(Kind.HANDOFF, "Call the plumber on Monday"),
                new TaggedLines.Tagged(Kind.PREFERENCE, "Short answers.")), TaggedLines.in(text));
    }
}
