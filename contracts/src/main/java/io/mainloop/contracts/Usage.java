package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Token usage of a turn, as reported by the Claude Code CLI's final {@code result} line
 * (Anthropic Messages API usage fields).
 *
 * @param inputTokens uncached input tokens
 * @param outputTokens generated tokens
 * @param cacheReadInputTokens input tokens read from the prompt cache
 * @param cacheCreationInputTokens input tokens written to the prompt cache
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheCreationInputTokens) {

    /** No tokens. */
    public static final Usage NONE = new Usage(0, 0, 0, 0);
}
