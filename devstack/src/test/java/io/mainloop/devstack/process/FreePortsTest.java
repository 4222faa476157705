package io.mainloop.devstack.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

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

    @Test
    void blocksStayBetweenTheLowestPortAnd65535AndOutOfAnyEphemeralRange() {
        int[][] ranges = {{32_768, 60_999}, {1_024, 4_999}, {10_000, 60_999}, {32_768, 65_534}, {5_000, 65_000}};
        Random random = new Random(7);
        for (int[] range : ranges) {
            for (int count : new int[] {1, 4}) {
                for (int i = 0; i < 20_000; i++) {
                    int first = FreePorts.candidate(count, range[0], range[1], random.nextInt(Integer.MAX_VALUE));
                    int last = first + count - 1;
                    assertTrue(first >= FreePorts.LOWEST && last <= 65_535, first + " for " + range[0] + "-" + range[1]);
                    assertTrue(last < range[0] || first > range[1], first + " overlaps " + range[0] + "-" + range[1]);
                }
            }
        }
        // the edges: the first and the last block below the range, then above it
        assertEquals(10_000, FreePorts.candidate(4, 32_768, 60_999, 0));
        assertEquals(32_764, FreePorts.candidate(4, 32_768, 60_999, 22_764));
        assertEquals(61_000, FreePorts.candidate(4, 32_768, 60_999, 22_765));
        assertEquals(65_532, FreePorts.candidate(4, 32_768, 60_999, 22_765 + 4_532));
    }

    @Test
    void aHostWhoseEphemeralRangeLeavesNoRoomHasNoCandidate() {
        assertEquals(0, FreePorts.candidate(1, 1_024, 65_535, 12_345));
        assertEquals(0, FreePorts.candidate(2, 9_000, 65_534, 12_345));
    }

    @Test
    void aBlockOfNoPortsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FreePorts.nextBlock(0));
    }
}
