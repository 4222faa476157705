package io.mainloop.memory.memories;

/**
 * A request about memories or core blocks that cannot be done as asked: its HTTP status (400 bad
 * input, 404 unknown id, 409 conflict, 413 too long) and a message for the owner or the assistant.
 */
public class MemoryRequestException extends RuntimeException {

    private final int status;

    /** @param status the HTTP status it answers with */
    public MemoryRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
