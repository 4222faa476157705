package io.mainloop.devstack.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The owner's token for the local stack: {@code MAINLOOP_OWNER_TOKEN} when set, else the one
 * kept in {@code $MAINLOOP_DATA_DIR/owner-token} (mode 600), generated on first run
 * (256 random bits, hex).
 */
public final class OwnerToken {

    /** The token file's name inside the data directory. */
    public static final String FILE = "owner-token";

    private OwnerToken() {
    }

    /** The token to use, creating and saving one if needed. */
    public static String ensure(Path dataDir, String fromEnvironment) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            write(file, fromEnvironment.trim());
            return fromEnvironment.trim();
        }
        if (Files.isRegularFile(file)) {
            String saved = Files.readString(file).trim();
            if (!saved.isEmpty()) {
                return saved;
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        write(file, token);
        return token;
    }

    private static void write(Path file, String token) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n");
    }
}
