package io.mainloop.devstack.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Checks that the services' HTTP ports are free before anything starts, so that a taken port is
 * named on the console instead of a service dying with the reason only in its log.
 */
final class PortCheck {

    private PortCheck() {
    }

    /**
     * Tries to bind each port on loopback (where the services listen), as the service would
     * (SO_REUSEADDR: a closed connection's TIME_WAIT does not count as taken).
     *
     * @param ports port by service name, in the order they are checked
     * @throws PortInUseException naming the first port that is taken and its service
     */
    static void requireFree(Map<String, Integer> ports) {
        for (var entry : ports.entrySet()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), entry.getValue()));
            } catch (IOException taken) {
                throw new PortInUseException(entry.getValue(), entry.getKey());
            }
        }
    }

    /** A service's port is taken by another process. */
    static final class PortInUseException extends IllegalStateException {

        PortInUseException(int port, String service) {
            super("port " + port + " (" + service + ") is in use; stop what uses it or set MAINLOOP_PORT");
        }
    }
}
