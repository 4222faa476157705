package io.mainloop.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.gateway.service.OwnerAuthenticator;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up rule for the owner token: at least 32 characters, with a message saying how to set it. */
class OwnerTokenRuleTest {

    @Test
    void aShortOrMissingTokenStopsTheStartWithAClearMessage() {
        for (Optional<String> bad : java.util.List.of(Optional.<String>empty(), Optional.of(""),
                Optional.of("test-owner-token"), Optional.of("x".repeat(31)))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> OwnerAuthenticator.requireStrongToken(bad));
            assertTrue(e.getMessage().contains("MAINLOOP_GATEWAY_OWNER_TOKEN"), e.getMessage());
            assertTrue(e.getMessage().contains("MAINLOOP_OWNER_TOKEN"), e.getMessage());
            assertTrue(e.getMessage().contains("32"), e.getMessage());
            assertTrue(bad.isEmpty() || bad.get().isEmpty() || !e.getMessage().contains(bad.get()),
                    "the message never repeats the token");
        }
    }

    @Test
    void aTokenOf32CharactersOrMoreIsAccepted() {
        assertEquals("x".repeat(32), OwnerAuthenticator.requireStrongToken(Optional.of("x".repeat(32))));
        assertEquals(ThreadApiTest.TOKEN, OwnerAuthenticator.requireStrongToken(Optional.of(ThreadApiTest.TOKEN)));
    }
}
