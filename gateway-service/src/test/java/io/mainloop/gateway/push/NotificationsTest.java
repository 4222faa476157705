package io.mainloop.gateway.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.interaso.webpush.VapidKeys;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What a notification says (markdown made plain, cut to 140) and which VAPID keys are accepted. */
class NotificationsTest {

    @Test
    void markdownBecomesOnePlainLine() {
        assertEquals("Today Pay rent Call Ana (see notes) echo hi done", Notifications.plainText("""
                # Today
                - [ ] **Pay** rent
                1. Call _Ana_ (see [notes](https://example.com/n))
                ```bash
                echo hi
                ```
                <b>done</b>"""));
        assertEquals("a b c", Notifications.plainText("| a | b |\n|---|---|\n| c |"));
        assertEquals("logo here", Notifications.plainText("![logo](x.png) here"));
        assertEquals("snake_case stays", Notifications.plainText("snake_case stays"));
        assertEquals("", Notifications.plainText(null));
    }

    @Test
    void longTextIsCutTo140CharactersWithAnEllipsis() {
        String cut = Notifications.plainText("😀".repeat(200));
        assertEquals(140, cut.codePointCount(0, cut.length()));
        assertTrue(cut.endsWith("…"));
        assertEquals("x".repeat(140), Notifications.plainText("x".repeat(140)), "exactly 140 stays whole");
    }

    @Test
    void onlyAMatchingP256PairIsAcceptedAndNoKeyIsEverInTheMessage() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        VapidKeys one = VapidKeys.generate();
        VapidKeys other = VapidKeys.generate();
        String pub = b64.encodeToString(one.getApplicationServerKey());
        String priv = b64.encodeToString(VapidKeyStore.scalar(one.getPrivateKey().getS()));
        String otherPriv = b64.encodeToString(VapidKeyStore.scalar(other.getPrivateKey().getS()));

        assertEquals(pub, b64.encodeToString(VapidKeyStore.keys(pub, priv).getApplicationServerKey()));
        for (String[] bad : new String[][] {{pub, otherPriv}, {pub, "c2hvcnQ"}, {"c2hvcnQ", priv}, {pub, "%%%"}}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> VapidKeyStore.keys(bad[0], bad[1]));
            assertFalse(e.getMessage().contains(priv) || e.getMessage().contains(otherPriv) || e.getMessage().contains(pub),
                    e.getMessage());
        }
    }
}
