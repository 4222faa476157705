package io.mainloop.devstack.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A generated secret kept in a file only its owner may read (mode 600). */
final class Secrets {

    private Secrets() {
    }

    /** The secret in {@code file}; a new one (256 random bits, hex) is generated and saved when there is none. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String saved = Files.readString(file).trim();
            if (!saved.isEmpty()) {
                return saved;
            }
            Files.delete(file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n");
        return secret;
    }
}
