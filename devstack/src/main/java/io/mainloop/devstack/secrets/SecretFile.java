package io.mainloop.devstack.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;

/** A generated secret kept in a file only its owner may read (mode 600): the PostgreSQL password, the MCP secret. */
public final class SecretFile {

    private SecretFile() {
    }

    /** The secret in {@code file}; a new one (256 random bits, hex) is generated and saved when there is none. */
    public static String readOrCreate(Path file) throws IOException {
        return readOrCreate(file, HexFormat.of()::formatHex);
    }

    /**
     * The secret in {@code file}; a new one (256 random bits, written by {@code encoding}) is
     * generated and saved when there is none or it is empty.
     *
     * @throws IOException if the file cannot be read or written
     */
    public static String readOrCreate(Path file, Function<byte[], String> encoding) throws IOException {
        if (Files.isRegularFile(file)) {
            String saved = Files.readString(file).trim();
            if (!saved.isEmpty()) {
                return saved;
            }
            Files.delete(file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = encoding.apply(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n");
        return secret;
    }
}
