package io.mainloop.agent.task;

/**
 * A task request that cannot be done as asked: its HTTP status (400 bad input, 404 unknown task,
 * 409 wrong phase) and a message for the owner or the assistant.
 */
public class TaskRequestException extends RuntimeException {

    private final int status;

    /** @param status the HTTP status it answers with */
    public TaskRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
