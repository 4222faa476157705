package io.mainloop.devstack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPostgresTest {

    @Test
    void everyConnectionNeedsThePasswordWhichOnlyItsOwnerCanRead(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (DevPostgres pg = DevPostgres.start(data, 0)) {
            Path file = dir.resolve("pg.password");
            assertEquals(pg.password(), Files.readString(file).trim());
            assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                    Files.getPosixFilePermissions(file));
            var noPassword = new java.util.Properties();
            noPassword.setProperty("user", DevPostgres.USER);
            org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> java.sql.DriverManager.getConnection(pg.jdbcUrl(), noPassword).close());
            var wrong = new java.util.Properties();
            wrong.setProperty("user", DevPostgres.USER);
            wrong.setProperty("password", "not-the-password");
            org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> java.sql.DriverManager.getConnection(pg.jdbcUrl(), wrong).close());
            try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), DevPostgres.USER, pg.password())) {
                assertTrue(c.isValid(5));
            }
        }
        try (DevPostgres pg = DevPostgres.start(data, 0); var c = pg.connect()) {
            assertTrue(c.isValid(5), "the same password after a restart");
        }
    }

    @Test
    void dataSurvivesARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (DevPostgres pg = DevPostgres.start(data, 0);
             var c = pg.connect(); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA memory");
            s.execute("CREATE TABLE memory.note (id int PRIMARY KEY, text text)");
            s.execute("INSERT INTO memory.note VALUES (1, 'zażółć gęślą jaźń')");
            var version = s.executeQuery("SHOW server_version");
            version.next();
            assertTrue(version.getString(1).startsWith("17."), version.getString(1));
        }
        assertTrue(Files.notExists(data.resolve("postmaster.pid")), "server stopped on close");
        try (DevPostgres pg = DevPostgres.start(data, 0);
             var c = pg.connect(); var s = c.createStatement()) {
            var rs = s.executeQuery("SELECT text FROM memory.note WHERE id = 1");
            assertTrue(rs.next());
            assertEquals("zażółć gęślą jaźń", rs.getString(1));
        }
    }
}
