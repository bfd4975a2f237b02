package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.it.Peer;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/** Two hosts, two links: one Java connection uses both, as info() and the kernel's own counters show. */
class TwoPathTest {
    static final List<String> FLAGS = List.of(Mptcp.requiredJvmFlags().split(" "));
    static final long BYTES = 24L << 20; // ~2 s at 2 x 50 Mbit/s

    Testbed bed;

    @BeforeEach
    void twoLinks() throws Exception {
        Requirements.root();
        bed = Testbed.builder().label("2p").paths(2).rateMbit(50).build();
    }

    @AfterEach
    void remove() throws Exception {
        if (bed != null) {
            bed.close();
        }
        assertTrue(Netns.live().isEmpty(), "namespaces left behind: " + Netns.live());
    }

    @Test
    void oneConnectionCarriesBytesOverBothInterfaces() throws Exception {
        long[] before0 = bed.client().rxTxBytes("eth0");
        long[] before1 = bed.client().rxTxBytes("eth1");
        try (ChildJvm server = ChildJvm.start(bed.server(), FLAGS, Peer.class, "server", "5201")) {
            server.awaitLine("READY", 30);
            try (ChildJvm client = ChildJvm.start(bed.client(), FLAGS, Peer.class, "client",
                    Testbed.serverAddress(0), "5201", Long.toString(BYTES))) {
                assertEquals(0, client.await(90), client.output());
                String out = client.output();
                assertTrue(out.contains("STATUS MPTCP"), out);
                assertTrue(out.contains("INFO subflows=2"), "info() shows two subflows: " + out);
                Map<String, Long> perInterface = new HashMap<>();
                for (String line : out.split("\n")) {
                    if (line.startsWith("SUBFLOW ")) {
                        String[] f = line.split(" ");
                        perInterface.merge(f[1], Long.parseLong(f[4]), Long::sum);
                    }
                }
                assertTrue(perInterface.getOrDefault("eth0", 0L) > 1_000_000, "info(): eth0 carried bytes " + perInterface);
                assertTrue(perInterface.getOrDefault("eth1", 0L) > 1_000_000, "info(): eth1 carried bytes " + perInterface);
                String sent = client.awaitLine("SENT", 1);
                String received = server.awaitLine("RECEIVED", 30);
                assertEquals(sent.split(" ")[2], received.split(" ")[2], "SHA-256 at both ends");
                assertTrue(received.endsWith("MPTCP"), received);
            }
        }
        // The kernel's own view: interface counters and MPTCP MIB counters in the fresh namespaces.
        long tx0 = bed.client().rxTxBytes("eth0")[1] - before0[1];
        long tx1 = bed.client().rxTxBytes("eth1")[1] - before1[1];
        assertTrue(tx0 > 1_000_000 && tx1 > 1_000_000, "kernel tx bytes eth0=" + tx0 + " eth1=" + tx1);
        assertTrue(tx0 + tx1 >= BYTES, "all bytes left through the two links: " + (tx0 + tx1));
        assertEquals(1, bed.server().counter("MPTcpExtMPCapableSYNRX"), "server saw one MP_CAPABLE SYN");
        assertTrue(bed.client().counter("MPTcpExtMPJoinSynAckRx") >= 1, "client joined a second subflow");
        assertTrue(bed.client().counter("MPTcpExtAddAddr") >= 1, "client received the server's ADD_ADDR");
    }
}
