package io.mainloop.gateway.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One SSE client's stream: first what it missed since its {@code Last-Event-ID} (replayed from
 * Kafka), then live events, with no gap and no duplicate between the two. Live events that
 * arrive during the replay wait in a buffer and are sent after it, minus those the replay sent.
 */
public final class ClientStream implements Consumer<StreamEvent> {

    private final MultiEmitter<? super StreamEvent> out;
    private List<StreamEvent> buffer = new ArrayList<>();

    private ClientStream(MultiEmitter<? super StreamEvent> out) {
        this.out = out;
    }

    /**
     * The stream of thread {@code threadId} for a client resuming after {@code resumeFrom} (null
     * for a new client, which gets live events only, after a first {@code stream.ready} event
     * carrying the current cursor). Only that thread's events are ever sent.
     */
    public static Multi<StreamEvent> open(ThreadStreamHub hub, StreamReplayer replayer, String threadId,
                                          StreamCursor resumeFrom) {
        return Multi.createFrom().emitter(emitter -> {
            ClientStream client = new ClientStream(emitter);
            StreamCursor now = hub.subscribe(threadId, client);
            emitter.onTermination(() -> hub.unsubscribe(threadId, client));
            if (resumeFrom == null) {
                emitter.emit(new StreamEvent("", "", -1, "stream.ready", "{\"type\":\"stream.ready\"}", now));
                client.goLive(now);
                return;
            }
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    replayer.replay(threadId, resumeFrom.orElse(now), now, emitter::emit);
                    client.goLive(now);
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        });
    }

    @Override
    public synchronized void accept(StreamEvent event) {
        if (buffer != null) {
            buffer.add(event);
        } else {
            out.emit(event);
        }
    }

    private synchronized void goLive(StreamCursor replayedUpTo) {
        for (StreamEvent event : buffer) {
            if (event.offset() >= replayedUpTo.of(event.topic())) {
                out.emit(event);
            }
        }
        buffer = null;
    }
}
