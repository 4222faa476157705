package io.mainloop.scheduler;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;

/**
 * Two scheduler replicas against one database: this service's Quartz and a second, clustered
 * Quartz instance (another instance id, the same JDBC job store and tables, running the same job
 * class and so the same firing code and outbox) race for the same triggers. Every slot of every
 * schedule runs on exactly one of them and is published exactly once, and both take part.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class TwoReplicasTest {

    /** Firings per replica-set run: enough slots that both replicas win some. */
    private static final int SLOTS = 32;

    /** What the second replica connects with: the service's own pool (set before it starts). */
    static volatile AgroalDataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.quartz.instance-name")
    String instanceName;

    @Inject
    Scheduler quartz;

    @Inject
    AgroalDataSource agroal;

    /** One execution of a schedule's job: which replica ran which slot. */
    record Execution(String instance, String schedule, Instant slot) {
    }

    @Test
    void eachSlotFiresExactlyOnceAcrossTwoReplicas() throws Exception {
        List<Execution> executions = Collections.synchronizedList(new ArrayList<>());
        JobListener recorder = new Recorder(executions);
        quartz.getListenerManager().addJobListener(recorder, GroupMatcher.jobGroupEquals("schedule"));
        dataSource = agroal;
        Scheduler replica = secondReplica();
        replica.getListenerManager().addJobListener(recorder, GroupMatcher.jobGroupEquals("schedule"));
        Set<String> ids = new HashSet<>();
        try {
            for (int i = 0; i < 4; i++) {
                ids.add(given().contentType("application/json")
                        .body(Map.of("title", "Every second " + i, "prompt", "Tick " + i + ".", "cron", "* * * * * ?",
                                "threadId", "replicas"))
                        .post("/api/schedules").then().statusCode(201).extract().<String>path("id"));
            }
            // started after the triggers exist: an idle Quartz looks for new triggers only every 30 s
            replica.start();
            Eventually.await(SLOTS + " firings", Duration.ofSeconds(60),
                    () -> ours(executions, ids).size() >= SLOTS ? true : null);
        } finally {
            for (String id : ids) {
                given().delete("/api/schedules/{id}", id).then().statusCode(204);
            }
            shutDown(replica);
            quartz.getListenerManager().removeJobListener(recorder.getName());
        }

        List<Execution> ours = ours(executions, ids);
        Map<String, Long> perInstance = ours.stream().collect(Collectors.groupingBy(Execution::instance, Collectors.counting()));
        org.jboss.logging.Logger.getLogger(TwoReplicasTest.class).infof("slots run per replica: %s", perInstance);
        assertEquals(2, perInstance.size(), "both replicas ran firings: " + perInstance);
        Set<String> slots = new HashSet<>();
        for (Execution e : ours) {
            assertTrue(slots.add(e.schedule() + "@" + e.slot()), "slot run twice: " + e + " in " + ours);
        }
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            // every slot run is published, once
            kafka.await(Topics.SCHEDULE_FIRED, v -> ids.stream().anyMatch(v::contains), slots.size(), Duration.ofSeconds(30));
            List<String> records = kafka.readAll(Topics.SCHEDULE_FIRED, v -> ids.stream().anyMatch(v::contains));
            Set<String> published = new HashSet<>();
            for (String record : records) {
                ScheduleFired fired = EventJson.mapper().readValue(record, ScheduleFired.class);
                assertEquals(ScheduleFired.firingId(fired.scheduleId(), fired.scheduledFor()), fired.firingId());
                assertTrue(published.add(fired.scheduleId() + "@" + fired.scheduledFor()), "published twice: " + record);
            }
            assertEquals(slots, published);
        }
    }

    private static List<Execution> ours(List<Execution> executions, Set<String> ids) {
        synchronized (executions) {
            return executions.stream().filter(e -> ids.contains(e.schedule())).toList();
        }
    }

    /** A second clustered Quartz instance on the same tables, as another replica of this service would run. */
    private Scheduler secondReplica() throws Exception {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", instanceName);
        p.setProperty("org.quartz.scheduler.instanceId", "replica-2");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.classLoadHelper.class", "org.quartz.simpl.InitThreadContextClassLoadHelper");
        p.setProperty("org.quartz.scheduler.threadsInheritContextClassLoaderOfInitializer", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "io.quarkus.quartz.runtime.jdbc.QuarkusPostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", "replica");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "15000");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "2000");
        p.setProperty("org.quartz.dataSource.replica.connectionProvider.class", Pool.class.getName());
        // Quartz keeps one scheduler per name in a JVM-wide registry, and the replica must have this
        // service's name (it is the SCHED_NAME of the shared rows): unregister ours while the replica is made
        SchedulerRepository registry = SchedulerRepository.getInstance();
        registry.remove(instanceName);
        Scheduler scheduler;
        try {
            scheduler = new StdSchedulerFactory(p).getScheduler();
        } finally {
            registry.remove(instanceName);
            registry.bind(quartz);
        }
        assertTrue(scheduler != quartz && "replica-2".equals(scheduler.getSchedulerInstanceId()));
        // jobs are CDI beans, as Quarkus' own job factory makes them
        scheduler.setJobFactory((bundle, s) -> Arc.container().instance(bundle.getJobDetail().getJobClass()).get());
        return scheduler;
    }

    private void shutDown(Scheduler replica) throws Exception {
        replica.shutdown(true); // also drops the name from the registry: put ours back
        SchedulerRepository registry = SchedulerRepository.getInstance();
        registry.remove(instanceName);
        registry.bind(quartz);
    }

    /** Quartz's connections for the second replica: the service's Agroal pool (plain, outside JTA). */
    public static class Pool implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }

    /** Records every execution of a schedule job with the instance that ran it. */
    private record Recorder(List<Execution> executions) implements JobListener {

        @Override
        public String getName() {
            return "replica-test-recorder";
        }

        @Override
        public void jobToBeExecuted(JobExecutionContext context) {
        }

        @Override
        public void jobExecutionVetoed(JobExecutionContext context) {
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException error) {
            try {
                executions.add(new Execution(context.getScheduler().getSchedulerInstanceId(),
                        context.getJobDetail().getKey().getName(), context.getScheduledFireTime().toInstant()));
            } catch (org.quartz.SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
