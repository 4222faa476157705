package io.mainloop.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Token-shaped strings never reach the owner in a failure message. */
class SecretRedactorTest {

    @Test
    void removesKeysTokensAndSecretsButKeepsTheMessage() {
        String stderr = "Error: invalid x-api-key sk-ant-api03-AbCdEf_123-xyz; ANTHROPIC_API_KEY=abc123 "
                + "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln and token "
                + "0123456789abcdef0123456789abcdef01";
        String redacted = SecretRedactor.redact(stderr);
        assertFalse(redacted.contains("sk-ant"), redacted);
        assertFalse(redacted.contains("abc123"), redacted);
        assertFalse(redacted.contains("eyJ"), redacted);
        assertFalse(redacted.contains("0123456789abcdef0123456789abcdef01"), redacted);
        assertEquals("Claude Code exited with code 1: /root/.mainloop/workspaces/main is missing",
                SecretRedactor.redact("Claude Code exited with code 1: /root/.mainloop/workspaces/main is missing"));
    }
}
