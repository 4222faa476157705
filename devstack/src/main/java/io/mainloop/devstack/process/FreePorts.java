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
 * Where no block fits outside that range (a host whose range spans nearly every port), a port from
 * {@code bind(0)} is handed out, as before.
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
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("a block of 1 to 1000 ports, not " + count);
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = candidate(count, EPHEMERAL[0], EPHEMERAL[1], ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
            if (first == 0) {
                return fromKernel(count); // no room outside the ephemeral range on this host
            }
            if (allFree(first, count)) {
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

    /**
     * The first port of a block of {@code count} within [{@link #LOWEST}, 65535] and outside the
     * ephemeral range [{@code low}, {@code high}], chosen by {@code random} (any non-negative int)
     * among all such blocks; 0 if none fits.
     */
    static int candidate(int count, int low, int high, int random) {
        int belowStart = LOWEST;
        int belowSpan = Math.max(0, Math.min(low, 65_536) - belowStart - count + 1);
        int aboveStart = Math.max(high + 1, LOWEST);
        int aboveSpan = Math.max(0, 65_536 - aboveStart - count + 1);
        if (belowSpan + aboveSpan == 0) {
            return 0;
        }
        int pick = random % (belowSpan + aboveSpan);
        return pick < belowSpan ? belowStart + pick : aboveStart + pick - belowSpan;
    }

    /** The first of {@code count} consecutive free ports, from ports the kernel hands out for {@code bind(0)}. */
    private static int fromKernel(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int first = socket.getLocalPort();
                if (first + count - 1 <= 65_535 && allFree(first + 1, count - 1)) {
                    return first;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("no free port on loopback", e);
            }
        }
        throw new IllegalStateException("no block of " + count + " free ports on loopback");
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
