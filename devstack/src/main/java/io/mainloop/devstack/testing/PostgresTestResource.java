package io.mainloop.devstack.testing;

import io.mainloop.devstack.postgres.DevPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Gives a service's {@code @QuarkusTest}s a real, throw-away PostgreSQL server (see
 * {@link DevPostgres}); the service's Flyway migrations create its own schema in it.
 * Use with {@code @QuarkusTestResource(PostgresTestResource.class)}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private DevPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = DevPostgres.startEphemeral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", DevPostgres.USER,
                "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
