package io.mainloop.scheduler.service;

/**
 * A request about schedules that cannot be done as asked: its HTTP status (400 bad input, 404
 * unknown id, 409 a built-in schedule) and a message for the owner or the assistant.
 */
public class ScheduleRequestException extends RuntimeException {

    private final int status;

    /** @param status the HTTP status it answers with */
    public ScheduleRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** A 400 with {@code message}. */
    static ScheduleRequestException badRequest(String message) {
        return new ScheduleRequestException(400, message);
    }
}
