package io.mainloop.agent.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

/**
 * Follows a file another process appends lines to ({@code tail -f}), from its start: returns each
 * complete line once, waits while the writer is alive, and ends when the writer has exited and
 * every line was read, or at once when told to stop (this service shuts down). It polls every
 * {@value #FAST_POLL_MS} ms for the first {@value #FAST_POLLS} polls after the last output (a turn's
 * first answer streams without waiting for a slow poll), then every {@value #POLL_MS} ms (a long tool
 * call). Not thread-safe.
 */
public final class OutputTail implements TurnOutput {

    static final long POLL_MS = 5;
    static final long FAST_POLL_MS = 1;
    static final int FAST_POLLS = 250;

    private final Path file;
    private final BooleanSupplier writerAlive;
    private final BooleanSupplier stop;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private FileChannel channel;
    private int idlePolls;

    public OutputTail(Path file, BooleanSupplier writerAlive, BooleanSupplier stop) {
        this.file = file;
        this.writerAlive = writerAlive;
        this.stop = stop;
        buffer.flip();
    }

    /**
     * The next complete line (without its newline); after the writer exited, a last unterminated
     * line too.
     *
     * @return null once the writer has exited and the file is read to its end, or when told to stop
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public String next() throws IOException, InterruptedException {
        while (!stop.getAsBoolean()) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return take();
                }
                line.write(b);
            }
            boolean alive = writerAlive.getAsBoolean(); // checked before reading: a line written just before exit is not missed
            if (fill() > 0) {
                idlePolls = 0;
                continue;
            }
            if (!alive) {
                return line.size() > 0 ? take() : null;
            }
            Thread.sleep(idlePolls++ < FAST_POLLS ? FAST_POLL_MS : POLL_MS);
        }
        return null;
    }

    private int fill() throws IOException {
        if (channel == null) {
            if (!Files.exists(file)) {
                return 0;
            }
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
        buffer.clear();
        int read = channel.read(buffer);
        buffer.flip();
        return Math.max(read, 0);
    }

    private String take() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        return text;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
