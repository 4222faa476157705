package io.mainloop.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mainloop.contracts.Topics;
import org.junit.jupiter.api.Test;

/** The SSE id of the thread stream: three positions, and the older two-part form still read. */
class StreamCursorTest {

    @Test
    void anIdRoundTripsAndMovesPerTopic() {
        StreamCursor cursor = StreamCursor.parse("c7-a3-t2");
        assertEquals(new StreamCursor(7, 3, 2), cursor);
        assertEquals("c7-a3-t2", cursor.toId());
        assertEquals(2, cursor.of(Topics.TASK_EVENTS));
        assertEquals("c7-a3-t5", cursor.after(Topics.TASK_EVENTS, 4).toId());
        assertEquals("c8-a3-t2", cursor.after(Topics.CONVERSATION_EVENTS, 7).toId());
        assertEquals("c7-a10-t2", cursor.after(Topics.AGENT_EVENTS, 9).toId());
        assertEquals(cursor, cursor.orElse(new StreamCursor(0, 0, 9)));
    }

    @Test
    void anIdFromBeforeTaskEventsResumesThemFromNow() {
        StreamCursor old = StreamCursor.parse("c7-a3");
        assertEquals(StreamCursor.UNKNOWN, old.tasks());
        assertEquals(new StreamCursor(7, 3, 11), old.orElse(new StreamCursor(9, 9, 11)));
        assertNull(StreamCursor.parse("c7"));
        assertNull(StreamCursor.parse("c7-a3-t"));
    }
}
