package io.mainloop.devstack.standin;

import java.util.Map;

/**
 * What the stand-in API answers to one Messages API request.
 */
public sealed interface ScriptedReply {

    /** Streams {@code text} as text deltas of about {@code chunkChars} characters, {@code delayMs} apart. */
    record Text(String text, int chunkChars, long delayMs) implements ScriptedReply {
        public Text(String text) {
            this(text, 12, 0);
        }
    }

    /**
     * Streams a {@code tool_use} block calling {@code tool} with {@code input}, after a text block
     * {@code preamble} when it is not null (the model narrating what it is about to do); stop
     * reason {@code tool_use}.
     */
    record ToolUse(String tool, Map<String, Object> input, String preamble) implements ScriptedReply {
        public ToolUse(String tool, Map<String, Object> input) {
            this(tool, input, null);
        }
    }

    /**
     * Answers with an HTTP error and an Anthropic error body.
     *
     * @param status e.g. 401, 429, 500, 529
     * @param errorType e.g. {@code overloaded_error}, {@code authentication_error}
     * @param message the error's message
     */
    record HttpError(int status, String errorType, String message) implements ScriptedReply {
    }
}
