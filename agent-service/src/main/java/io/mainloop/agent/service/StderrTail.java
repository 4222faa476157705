package io.mainloop.agent.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The end of a CLI's stderr (a file, or the non-JSON lines of a pod's log), for a failure message: its last 600 characters, stripped. */
public final class StderrTail {

    /** Most characters kept. */
    static final int CHARS = 600;

    private StderrTail() {
    }

    /** The last 600 characters of {@code file} (with {@code ...} before them if cut), or "" if it cannot be read. */
    public static String of(Path file) {
        try {
            return ofText(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "";
        }
    }

    /** The last 600 characters of {@code text}, stripped (with {@code ...} before them if cut). */
    public static String ofText(String text) {
        String stripped = text.strip();
        return stripped.length() <= CHARS ? stripped : "..." + stripped.substring(stripped.length() - CHARS);
    }
}
