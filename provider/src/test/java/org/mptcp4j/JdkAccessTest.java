package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.it.Peer;
import org.mptcp4j.testbed.ChildJvm;

/** Without the --add-opens flags the library says exactly which flags to add. */
class JdkAccessTest {
    @Test
    void probeNamesTheMissingFlags() throws Exception {
        Requirements.mptcp();
        try (ChildJvm child = ChildJvm.start(null, List.of(), Peer.class, "probe")) {
            String line = child.awaitLine("AVAILABILITY", 30);
            assertTrue(line.startsWith("AVAILABILITY JDK_NOT_OPEN"), line);
            assertTrue(line.contains("add --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"), line);
        }
    }

    @Test
    void strictModeThrowsNamingTheFlags() throws Exception {
        Requirements.mptcp();
        try (ChildJvm child = ChildJvm.start(null, List.of(), Peer.class, "server", "0", "strict")) {
            String error = child.awaitLine("ERROR", 30);
            assertTrue(error.contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"), error);
            assertEquals(3, child.await(30));
        }
    }
}
