package io.mainloop.support.mcp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer token that lets a thread's Claude Code CLI call memory-service's MCP tools for that
 * thread and no other: HMAC-SHA256 (RFC 2104) of the thread id under a secret that agent-service
 * and memory-service share ({@code mainloop.agent.memory-mcp.secret},
 * {@code mainloop.memory.mcp.secret}) and the CLI never sees. The assistant can read its own
 * thread's token (it is in the turn's MCP configuration) but cannot make one for another thread.
 */
public final class McpTokens {

    /** The HTTP header that names the thread, next to {@code Authorization: Bearer <token>}. */
    public static final String THREAD_HEADER = "Mainloop-Thread";

    private McpTokens() {
    }

    /**
     * The token of {@code threadId}: URL-safe Base64 without padding, 43 characters.
     *
     * @throws IllegalArgumentException if the secret is blank
     */
    public static String token(String secret, String threadId) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the MCP secret is not set");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(threadId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code token} is the token of {@code threadId} (compared in constant time). */
    public static boolean verify(String secret, String threadId, String token) {
        if (token == null || threadId == null || secret == null || secret.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(token(secret, threadId).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The caller a request names in {@value #THREAD_HEADER} (a thread id, or {@code task:<id>}),
     * if its {@code Authorization: Bearer <token>} is that caller's token under {@code secret}.
     *
     * @param secret the shared secret, or null if none is configured
     * @param caller the {@value #THREAD_HEADER} header, or null
     * @param authorization the {@code Authorization} header, or null
     * @param secretSetting the setting that holds the secret, named in the refusal when it is unset
     * @throws Refused if the secret is unset or the token is missing or not the caller's
     */
    public static String verifiedCaller(String secret, String caller, String authorization, String secretSetting) {
        if (secret == null || secret.isBlank()) {
            throw new Refused("these tools are not configured (" + secretSetting + " is not set)");
        }
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).strip() : null;
        if (caller == null || !verify(secret, caller, token)) {
            throw new Refused("not allowed: this call carries no valid token for its caller");
        }
        return caller;
    }

    /** An MCP call refused by {@link #verifiedCaller}; its message is for the caller. */
    public static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message);
        }
    }
}
