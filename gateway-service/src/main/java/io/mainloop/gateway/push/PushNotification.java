package io.mainloop.gateway.push;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * What one push shows on the owner's devices: the JSON the service worker reads from the push's
 * decrypted payload ({@code {"title","body","tag","data":{"url","messageId"|"taskId"}}}) and
 * shows as a notification. Small: its encrypted form stays far below the 4,096-byte record of
 * RFC 8291.
 *
 * @param title the notification's title ({@code mainloop})
 * @param body its text, at most {@link Notifications#MAX_BODY} characters, plain (no markdown)
 * @param tag a later notification with the same tag replaces this one on the device
 * @param data where a click leads ({@code url}, a path of the web chat) and what it is about
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushNotification(String title, String body, String tag, Data data) {

    /**
     * @param url the path the web chat opens on a click
     * @param messageId the proactive message, for a message
     * @param taskId the task, for a question or a failure
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(String url, UUID messageId, UUID taskId) {
    }
}
