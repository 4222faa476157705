package io.mainloop.support.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class McpTokensTest {

    @Test
    void aTokenOpensItsOwnThreadOnly() {
        String token = McpTokens.token("s3cret", "owner-main");
        assertEquals(43, token.length());
        assertTrue(McpTokens.verify("s3cret", "owner-main", token));
        assertFalse(McpTokens.verify("s3cret", "someone-else", token));
        assertFalse(McpTokens.verify("other-secret", "owner-main", token));
        assertFalse(McpTokens.verify("s3cret", "owner-main", null));
        assertFalse(McpTokens.verify("", "owner-main", token));
        assertThrows(IllegalArgumentException.class, () -> McpTokens.token(" ", "owner-main"));
    }

    @Test
    void aCallIsTheCallersOnlyWithItsBearerToken() {
        String token = McpTokens.token("s3cret", "task:42");
        assertEquals("task:42", McpTokens.verifiedCaller("s3cret", "task:42", "Bearer " + token, "X_SECRET"));
        assertTrue(assertThrows(McpTokens.Refused.class, () -> McpTokens.verifiedCaller("s3cret", "main",
                "Bearer " + token, "X_SECRET")).getMessage().startsWith("not allowed"));
        assertThrows(McpTokens.Refused.class, () -> McpTokens.verifiedCaller("s3cret", "task:42", token, "X_SECRET"));
        assertThrows(McpTokens.Refused.class, () -> McpTokens.verifiedCaller("s3cret", null, "Bearer " + token, "X_SECRET"));
        assertTrue(assertThrows(McpTokens.Refused.class, () -> McpTokens.verifiedCaller(null, "task:42",
                "Bearer " + token, "X_SECRET")).getMessage().contains("X_SECRET is not set"));
    }
}
