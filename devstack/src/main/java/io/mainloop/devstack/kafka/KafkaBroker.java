package io.mainloop.devstack.kafka;

import io.mainloop.devstack.process.ChildProcess;
import io.mainloop.devstack.process.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Apache Kafka broker in KRaft mode (single node, broker and controller), run as a CHILD
 * JVM from the Maven Central jars the devstack build resolved, so Scala, log4j and the broker's
 * own Jackson stay off the caller's classpath. Data survives restarts when a data directory is
 * given. The child does not outlive this JVM (see {@link ChildProcess}).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final ChildProcess process;
    private final int port;
    private Path deleteOnClose;

    private KafkaBroker(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a broker and waits until it accepts clients.
     *
     * @param dataDir log directory (created; formatted on first use)
     * @param port client port on 127.0.0.1, or 0 for a free one
     * @param heapMb maximum heap of the broker JVM, MiB
     * @param echo where to echo the broker's output, or null
     * @throws IOException if the broker cannot start within 60 s
     */
    public static KafkaBroker start(Path dataDir, int port, int heapMb, PrintStream echo) throws IOException {
        Files.createDirectories(dataDir);
        int clientPort = port == 0 ? FreePorts.next() : port;
        int controllerPort = FreePorts.next();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                "-Xmx" + heapMb + "m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-Djava.awt.headless=true",
                "-cp", brokerClasspath(),
                BrokerMain.class.getName(),
                dataDir.toAbsolutePath().toString(), String.valueOf(clientPort), String.valueOf(controllerPort)));
        ChildProcess child = ChildProcess.start("kafka", command, dataDir, Map.of(),
                dataDir.resolve("broker.log"), echo);
        try {
            child.awaitLine(line -> line.contains(BrokerMain.READY), Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            child.close();
            throw new IOException("Kafka broker did not start: " + e.getMessage() + " (see "
                    + dataDir.resolve("broker.log") + ")", e);
        }
        return new KafkaBroker(child, clientPort);
    }

    /**
     * Starts a throw-away broker on a free port with a 512 MiB heap, data in a temp directory
     * deleted on {@link #close()} (kept when the broker does not start: its log says why).
     */
    public static KafkaBroker startEphemeral() throws IOException {
        Path dataDir = Files.createTempDirectory("mainloop-kafka-");
        KafkaBroker broker = start(dataDir, 0, 512, null);
        broker.deleteOnClose = dataDir;
        return broker;
    }

    static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " missing: build devstack with Maven first");
            }
            String kafkaJars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            // The broker also needs the jars devstack itself has in compile scope (Maven leaves them out of
            // the provided set): slf4j-api and Jackson. BrokerMain lives in devstack's own jar.
            return String.join(java.io.File.pathSeparator, kafkaJars, codeSource(BrokerMain.class),
                    codeSource(org.slf4j.Logger.class),
                    codeSource(com.fasterxml.jackson.databind.JsonNode.class),
                    codeSource(com.fasterxml.jackson.core.JsonFactory.class),
                    codeSource(com.fasterxml.jackson.annotation.JsonProperty.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker JVM's pid. */
    public long pid() {
        return process.pid();
    }

    /**
     * Stops the broker (controlled shutdown, SIGKILL after 20 s); a throw-away broker's data is
     * deleted once it has exited (a failure to delete is printed, not thrown).
     */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
        if (deleteOnClose != null && !process.isAlive()) {
            try {
                org.apache.commons.io.file.PathUtils.deleteDirectory(deleteOnClose);
            } catch (IOException e) {
                System.err.println("the test broker's data in " + deleteOnClose + " was not deleted: " + e);
            }
        }
    }
}
