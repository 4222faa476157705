package io.mainloop.agent.service;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes token-shaped strings from text shown to the owner or written to events (a CLI's stderr,
 * error messages): Anthropic keys ({@code sk-ant-...}), bearer credentials, {@code KEY=value}
 * pairs of variables named like secrets, JWTs, and any run of 32 or more hex, base64 or base64url
 * characters with both letters and digits. Each becomes {@value #MARK}.
 */
public final class SecretRedactor {

    /** What a removed secret is replaced with. */
    public static final String MARK = "[redacted]";

    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("sk-ant-[A-Za-z0-9_\\-]+"),
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=\\-]+"),
            Pattern.compile("(?i)\\b([A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIALS?)[A-Z0-9_]*\\s*[=:]\\s*)\\S+"),
            Pattern.compile("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*"),
            // a long run with letters and digits (hex, base64, base64url); paths and words rarely have both
            Pattern.compile("(?=[A-Za-z0-9+/_\\-]*\\d)(?=[A-Za-z0-9+/_\\-]*[A-Za-z])[A-Za-z0-9+/_\\-]{32,}={0,2}"));

    private SecretRedactor() {
    }

    /** {@code text} with every token-shaped string replaced by {@value #MARK}; null stays null. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Pattern p : PATTERNS) {
            out = p.matcher(out).replaceAll(m -> m.groupCount() > 0 && m.group(1) != null
                    ? java.util.regex.Matcher.quoteReplacement(m.group(1)) + MARK : MARK);
        }
        return out;
    }
}
