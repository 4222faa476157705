package io.mainloop.memory.rest;

import java.util.List;

/**
 * A page of history, oldest first (newest last).
 *
 * @param messages the page
 * @param nextBefore the cursor for the page before this one, or null at the thread's start
 */
public record MessagePage(List<MessageView> messages, Long nextBefore) {
}
