package io.mainloop.agent.service;

import java.io.IOException;

/**
 * The lines a turn's CLI writes (stream-json objects, and possibly other lines), read from the
 * start of the turn's first attempt and followed while the CLI runs. Not thread-safe.
 */
public interface TurnOutput extends AutoCloseable {

    /**
     * The next complete line, without its newline.
     *
     * @return null once the CLI has ended and everything was read, or when told to stop (this service shuts down)
     * @throws InterruptedException if interrupted while waiting
     */
    String next() throws IOException, InterruptedException;

    /** The lines read that were not stream-json (the CLI's error output, where it is mixed in), or null if not kept. */
    default String otherLines() {
        return null;
    }

    @Override
    void close() throws IOException;
}
