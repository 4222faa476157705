package io.mainloop.devstack.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Ports handed to servers are bindable and never ones the kernel may give an outgoing connection in the meantime
 * (CI once saw a service container fail with "port in use" on a port taken by such a connection).
 */
class FreePortsTest {

    @RepeatedTest(20)
    void aBlockIsFreeAndOutsideTheEphemeralRange() throws Exception {
        int first = FreePorts.nextBlock(4);
        for (int port = first; port < first + 4; port++) {
            assertFalse(FreePorts.isEphemeral(port), port + " is in the ephemeral range");
            assertTrue(port >= FreePorts.LOWEST && port <= 65_535, String.valueOf(port));
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertTrue(server.isBound());
            }
        }
    }
}
