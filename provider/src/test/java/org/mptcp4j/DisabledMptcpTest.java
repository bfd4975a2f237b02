package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.it.Peer;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;

/** In a fresh netns with net.mptcp.enabled=0: default mode falls back and works, strict mode names the reason. */
class DisabledMptcpTest {
    static final List<String> FLAGS = List.of(Mptcp.requiredJvmFlags().split(" "));

    Netns ns;

    @BeforeEach
    void disabledNamespace() throws Exception {
        Requirements.root();
        ns = Netns.create("off");
        ns.sysctl("net.mptcp.enabled", "0");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void availabilityReportsDisabledBySysctl() throws Exception {
        try (ChildJvm probe = ChildJvm.start(ns, FLAGS, Peer.class, "probe")) {
            String line = probe.awaitLine("AVAILABILITY", 30);
            assertTrue(line.startsWith("AVAILABILITY DISABLED"), line);
            assertTrue(line.contains("ENOPROTOOPT"), line);
        }
    }

    @Test
    void defaultModeFallsBackToWorkingTcp() throws Exception {
        try (ChildJvm server = ChildJvm.start(ns, FLAGS, Peer.class, "server", "0")) {
            String port = server.awaitLine("READY", 30).split(" ")[1];
            assertTrue(server.awaitLine("READY", 1).endsWith("UNAVAILABLE"), "the listener is plain TCP: MPTCP unavailable");
            try (ChildJvm client = ChildJvm.start(ns, FLAGS, Peer.class, "client", "127.0.0.1", port, "1048576")) {
                assertEquals(0, client.await(60), client.output());
                assertTrue(client.output().contains("STATUS UNAVAILABLE"), client.output());
                assertTrue(client.output().contains("using plain TCP"), "one fallback warning: " + client.output());
                String sent = client.awaitLine("SENT", 1);
                String received = server.awaitLine("RECEIVED", 30);
                assertEquals(sent.split(" ")[2], received.split(" ")[2], "SHA-256 at both ends");
            }
        }
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "the kernel saw no MPTCP SYN");
    }

    @Test
    void strictModeThrowsNamingTheReason() throws Exception {
        try (ChildJvm server = ChildJvm.start(ns, FLAGS, Peer.class, "server", "0", "strict")) {
            String error = server.awaitLine("ERROR", 30);
            assertTrue(error.contains("MptcpUnavailableException"), error);
            assertTrue(error.contains("net.mptcp.enabled=0"), error);
            assertEquals(3, server.await(30));
        }
    }
}
