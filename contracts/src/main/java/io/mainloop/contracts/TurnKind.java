package io.mainloop.contracts;

/**
 * Why a turn of the thread runs (docs/events.md): the owner wrote ({@link #CHAT}, also a task's
 * result to report), the heartbeat woke the assistant ({@link #HEARTBEAT}), or a schedule fired
 * ({@link #SCHEDULED}: an owner's scheduled prompt or a reminder the assistant set).
 */
public enum TurnKind {
    /** An answer to the owner's message(s), or to a task's result. */
    CHAT,
    /** A heartbeat: a light context; a reply of exactly {@code HEARTBEAT_OK} stays silent. */
    HEARTBEAT,
    /** A scheduled prompt or a reminder firing. */
    SCHEDULED;

    /** Whether the owner did not just ask: the answer is pushed to the owner's devices. */
    public boolean proactive() {
        return this != CHAT;
    }
}
