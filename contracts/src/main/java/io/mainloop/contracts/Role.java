package io.mainloop.contracts;

/** Who wrote a message of the thread. */
public enum Role {
    /** The owner. */
    USER,
    /** The assistant (Claude Code). */
    ASSISTANT,
    /** mainloop itself: heartbeats, scheduled prompts, notices. */
    SYSTEM
}
