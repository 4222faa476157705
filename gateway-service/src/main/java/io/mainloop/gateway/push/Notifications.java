package io.mainloop.gateway.push;

import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.Role;
import io.mainloop.contracts.TaskEvent;
import io.mainloop.contracts.TaskPhase;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which events of a thread are pushed (to that thread's devices), and as what (docs/web-push.md): a proactive
 * assistant message (a heartbeat's or a schedule's reply, {@code message.stored} with
 * {@code proactive=true}), a sub-agent's question ({@code task.needs-input}) and a failed task
 * ({@code task.finished} in phase Failed). Everything else is not pushed.
 */
public final class Notifications {

    /** Title of every notification. */
    public static final String TITLE = "mainloop";

    /** Longest body, in characters (code points); longer text is cut and ends with an ellipsis. */
    public static final int MAX_BODY = 140;

    private static final Pattern FENCE = Pattern.compile("(?m)^\\s*(```|~~~)[^\\n]*$");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern LINE_MARKS = Pattern.compile("(?m)^\\s*(#{1,6}\\s+|>\\s?|[-*+]\\s+(\\[[ xX]]\\s+)?|\\d+[.)]\\s+)");
    private static final Pattern TABLE_RULE = Pattern.compile("(?m)^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");
    private static final Pattern HTML = Pattern.compile("<[^>]+>");
    private static final Pattern EMPHASIS = Pattern.compile("(\\*\\*|__|~~|\\*|`)");
    private static final Pattern UNDERSCORE_EMPHASIS = Pattern.compile("(?<!\\w)_(\\S(?:[^_]*\\S)?)_(?!\\w)");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private Notifications() {
    }

    /**
     * The notification of a conversation event of {@code threadId}: only an assistant's proactive
     * message (its text, markdown stripped, cut to {@link #MAX_BODY}).
     */
    public static Optional<PushNotification> of(ConversationEvent event, String threadId) {
        if (!(event instanceof ConversationEvent.MessageStored m) || !threadId.equals(m.threadId())
                || m.role() != Role.ASSISTANT || !m.proactive()) {
            return Optional.empty();
        }
        String body = plainText(m.text());
        return Optional.of(new PushNotification(TITLE, body.isEmpty() ? "New message" : body,
                "message-" + m.messageId(), new PushNotification.Data("/", m.messageId(), null)));
    }

    /**
     * The notification of a task event of {@code threadId}: a question ("{@code <title> asks:
     * <question>}") or a failure ("{@code <title> failed: <error>}"); nothing for the rest.
     */
    public static Optional<PushNotification> of(TaskEvent event, String threadId) {
        if (!threadId.equals(event.threadId())) {
            return Optional.empty();
        }
        String text;
        if (event instanceof TaskEvent.TaskNeedsInput q) {
            text = title(q.title()) + " asks: " + q.question();
        } else if (event instanceof TaskEvent.TaskFinished f && f.phase() == TaskPhase.Failed) {
            text = title(f.title()) + " failed: " + (f.error() == null ? "no reason given" : f.error());
        } else {
            return Optional.empty();
        }
        return Optional.of(new PushNotification(TITLE, plainText(text), "task-" + event.taskId(),
                new PushNotification.Data("/", null, event.taskId())));
    }

    /**
     * {@code markdown} as one line of plain text, roughly: fences, headings, quotes, list marks,
     * emphasis ({@code snake_case} words stay), inline code marks, links (their text stays), images (their alt text stays), HTML
     * tags and table rules removed, whitespace collapsed; cut to {@link #MAX_BODY} code points.
     */
    public static String plainText(String markdown) {
        if (markdown == null) {
            return "";
        }
        String s = FENCE.matcher(markdown).replaceAll("");
        s = IMAGE.matcher(s).replaceAll("$1");
        s = LINK.matcher(s).replaceAll("$1");
        s = TABLE_RULE.matcher(s).replaceAll("");
        s = LINE_MARKS.matcher(s).replaceAll("");
        s = HTML.matcher(s).replaceAll("");
        s = EMPHASIS.matcher(s).replaceAll("");
        s = UNDERSCORE_EMPHASIS.matcher(s).replaceAll("$1");
        s = s.replace('|', ' ');
        s = SPACE.matcher(s).replaceAll(" ").trim();
        if (s.codePointCount(0, s.length()) <= MAX_BODY) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, MAX_BODY - 1)).stripTrailing() + "…";
    }

    private static String title(String title) {
        return title == null || title.isBlank() ? "A task" : title.strip();
    }
}
