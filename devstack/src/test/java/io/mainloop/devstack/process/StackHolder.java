package io.mainloop.devstack.process;

import io.mainloop.devstack.kafka.KafkaBroker;
import io.mainloop.devstack.postgres.DevPostgres;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper main: starts PostgreSQL and Kafka, prints their pids, then waits to be killed. */
public final class StackHolder {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        DevPostgres pg = DevPostgres.start(dir.resolve("pg"), 0);
        KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, 256, null);
        long pgPid = Long.parseLong(Files.readAllLines(dir.resolve("pg/postmaster.pid")).get(0).trim());
        System.out.println("PIDS " + pgPid + " " + kafka.pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
