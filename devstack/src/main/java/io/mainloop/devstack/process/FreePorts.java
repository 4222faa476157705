package io.mainloop.devstack.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds free TCP ports on the loopback interface for servers started a moment later (PostgreSQL, Kafka, services).
 *
 * <p>Ports are taken from outside the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range},
 * 32768-60999 by default): a port handed out by {@code bind(0)} is one the kernel may give the very next outgoing
 * connection of any process as its local port, and a server binding it then fails with "address in use" (seen in
 * CI: a service container's port was taken by a sibling's connection to Kafka while it started). Outside that range
 * only a server that binds the same fixed port can collide, and the bind check here rules out those already bound.
 */
public final class FreePorts {

    /** The lowest port handed out: below it are well-known and registered services' ports. */
    static final int LOWEST = 10_000;

    private static final int[] EPHEMERAL = ephemeralRange();

    private FreePorts() {
    }

    /** A port outside the ephemeral range that was free on 127.0.0.1 a moment ago. */
    public static int next() {
        return nextBlock(1);
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first of {@code count} consecutive ports, all outside the ephemeral range, that were all free a moment ago.
     *
     * @throws IllegalStateException if no such block is found in 200 tries
     */
    public static int nextBlock(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = candidate(count);
            if (first > 0 && allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no block of " + count + " free ports on loopback outside the ephemeral range "
                + EPHEMERAL[0] + "-" + EPHEMERAL[1]);
    }

    /** Whether {@code port} lies in the kernel's ephemeral range (where outgoing connections take local ports). */
    public static boolean isEphemeral(int port) {
        return port >= EPHEMERAL[0] && port <= EPHEMERAL[1];
    }

    /** A random first port of a block of {@code count} below or above the ephemeral range; 0 if none fits. */
    private static int candidate(int count) {
        int belowSpan = Math.max(0, EPHEMERAL[0] - LOWEST - count + 1);
        int aboveSpan = Math.max(0, 65_535 - EPHEMERAL[1] - count + 1);
        if (belowSpan + aboveSpan == 0) {
            return 0;
        }
        int pick = ThreadLocalRandom.current().nextInt(belowSpan + aboveSpan);
        return pick < belowSpan ? LOWEST + pick : EPHEMERAL[1] + 1 + pick - belowSpan;
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** {@code [low, high]} of the ephemeral range, Linux's default when it cannot be read. */
    private static int[] ephemeralRange() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII)
                    .trim().split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException | RuntimeException unreadable) {
            return new int[] {32_768, 60_999};
        }
    }
}
