package io.mainloop.agent.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The end of a CLI's stderr file, for a failure message: its last 600 characters, stripped. */
public final class StderrTail {

    /** Most characters kept. */
    static final int CHARS = 600;

    private StderrTail() {
    }

    /** The last 600 characters of {@code file} (with {@code ...} before them if cut), or "" if it cannot be read. */
    public static String of(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.length() <= CHARS ? text : "..." + text.substring(text.length() - CHARS);
        } catch (IOException e) {
            return "";
        }
    }
}
