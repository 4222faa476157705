package io.mainloop.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.process.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./mainloop up} with one of its four ports taken names that port and starts nothing. */
class PortInUseTest {

    @Test
    void aTakenPortIsNamedWithItsServiceAndNothingStarts(@TempDir Path dir) throws Exception {
        int gatewayPort = FreePorts.nextBlock(LocalStack.SERVICES.size());
        int memoryPort = gatewayPort + 1;
        Path data = dir.resolve("data");
        var output = new ByteArrayOutputStream();
        try (ServerSocket taken = new ServerSocket(memoryPort, 1, InetAddress.getLoopbackAddress())) {
            var settings = new StackSettings(dir, data, gatewayPort, true);
            var e = assertThrows(IllegalStateException.class,
                    () -> LocalStack.start(settings, new PrintStream(output, true, StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().startsWith("port " + memoryPort + " (memory-service) is in use"), e.getMessage());
        }
        assertEquals(0, ProcessHandle.current().children().count(), "no PostgreSQL, Kafka or service was started");
        assertFalse(Files.exists(data), "the data directory was not touched");
        assertEquals("", output.toString(StandardCharsets.UTF_8), "no progress was reported");
    }

    @Test
    void freePortsPass() {
        int gatewayPort = FreePorts.nextBlock(2);
        PortCheck.requireFree(java.util.Map.of("gateway-service", gatewayPort, "memory-service", gatewayPort + 1));
    }
}
