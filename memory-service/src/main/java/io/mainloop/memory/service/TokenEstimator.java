package io.mainloop.memory.service;

/**
 * Estimates tokens from text without a tokenizer: about 4 characters per token (the rule of
 * thumb Anthropic gives for English), plus 4 tokens of framing per message. An estimate, not
 * a count; it errs large for English and small for dense scripts such as CJK.
 */
public final class TokenEstimator {

    /** Framing tokens counted for each message (role, separators). */
    public static final int PER_MESSAGE_OVERHEAD = 4;

    private TokenEstimator() {
    }

    /** Estimated tokens of {@code text}, rounded up. */
    public static int estimate(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }

    /** Estimated tokens of one message carrying {@code text}. */
    public static int estimateMessage(String text) {
        return estimate(text) + PER_MESSAGE_OVERHEAD;
    }
}
