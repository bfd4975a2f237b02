package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/**
 * Faults on real paths (network namespaces, real kernel), bounded in time: repeated link flaps,
 * both paths down then one back, and a middlebox that strips the MPTCP option. Each prints its
 * figure; the stream's SHA-256 at both ends must match.
 */
class FaultTest {
    @BeforeEach
    void root() {
        if (!Netns.canCreate()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: the fault tests need root");
            }
            assumeTrue(false, "needs root");
        }
    }

    private static String[] transfer(Testbed bed, double seconds, FaultScript faults) throws Exception {
        List<String> jvm = ToolJvm.options();
        try (ChildJvm server = ChildJvm.start(bed.server(), jvm, Main.class, "failover-peer", "server", "5201")) {
            server.awaitLine("READY", 30);
            try (ChildJvm client = ChildJvm.start(bed.client(), jvm, Main.class, "failover-peer", "client",
                    Testbed.serverAddress(0), "5201", Double.toString(seconds), "1")) {
                client.awaitLine("connected", 30);
                // faults begin once the second path carries a subflow: a first path dark before the join is not a failover
                bed.server().awaitCounter("MPTcpExtMPJoinAckRx", 1, 20);
                faults.run(bed);
                assertEquals(0, client.await((long) seconds + 60), "the connection survived:\n" + client.output());
                String[] sent = client.awaitLine("SENT", 5).trim().split(" ");
                String[] received = server.awaitLine("RECEIVED", 60).trim().split(" ");
                assertEquals(sent[1], received[1], "bytes sent = bytes received");
                assertEquals(sent[2], received[2], "SHA-256 at both ends: nothing lost, nothing duplicated");
                return received;
            }
        }
    }

    private interface FaultScript {
        void run(Testbed bed) throws Exception;
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis); // the fault schedule itself, not a synchronisation
    }

    @Test
    void tenLinkFlapsLoseNothing() throws Exception {
        try (Testbed bed = Testbed.builder().label("flap").paths(2).rateMbit(50).build()) {
            String[] r = transfer(bed, 14, b -> {
                for (int i = 0; i < 10; i++) {
                    b.linkDown(0);
                    pause(400);
                    b.linkUp(0);
                    pause(600);
                }
            });
            System.out.println("FIGURE ten link flaps: " + r[1] + " bytes intact, longest receive stall " + r[3] + " ms");
        }
    }

    @Test
    void bothPathsDownForFiveSecondsThenOneBackLosesNothing() throws Exception {
        try (Testbed bed = Testbed.builder().label("dark").paths(2).rateMbit(50).build()) {
            String[] r = transfer(bed, 20, b -> {
                pause(2000);
                b.linkDown(0);
                b.linkDown(1);
                pause(5000);
                b.linkUp(1);
            });
            double stall = Double.parseDouble(r[3]);
            assertTrue(stall >= 4000, "the outage is visible as a stall of at least its length: " + stall);
            System.out.println("FIGURE both paths down 5 s, one back: " + r[1] + " bytes intact, longest receive stall " + r[3] + " ms");
        }
    }

    @Test
    void serverHostWithMptcpDisabledServesTheMptcpClientAsTcp() throws Exception {
        try (Testbed bed = Testbed.builder().label("srvoff").paths(1).mptcpEndpoints(false).build()) {
            bed.server().sysctl("net.mptcp.enabled", "0");
            try (ChildJvm server = ChildJvm.start(bed.server(), ToolJvm.options(), Main.class, "perf", "-s", "-1")) {
                server.awaitLine("Server listening", 30);
                assertTrue(server.output().contains("(UNAVAILABLE)"), "the listener stayed TCP, MPTCP unavailable:\n" + server.output());
                try (ChildJvm client = ChildJvm.start(bed.client(), ToolJvm.options(), Main.class, "perf", "-c", Testbed.serverAddress(0), "-t", "1")) {
                    assertEquals(0, client.await(60), client.output());
                    assertTrue(client.output().contains("(FALLBACK)"), client.output());
                }
                assertEquals(0, server.await(30), server.output());
            }
        }
    }

    @Test
    void middleboxStrippingTheMptcpOptionLeavesAWorkingTcpConnection() throws Exception {
        if (!Command.onPath("iptables")) {
            fail("iptables is needed for the middlebox (.ci/run installs it)");
        }
        try (Testbed bed = Testbed.builder().label("strip").paths(1).mptcpEndpoints(false).build()) {
            bed.client().exec("iptables", "-t", "mangle", "-A", "POSTROUTING", "-p", "tcp", "-j", "TCPOPTSTRIP", "--strip-options", "30");
            try (ChildJvm server = ChildJvm.start(bed.server(), ToolJvm.options(), Main.class, "perf", "-s", "-1")) {
                server.awaitLine("Server listening", 30);
                try (ChildJvm client = ChildJvm.start(bed.client(), ToolJvm.options(), Main.class, "perf", "-c", Testbed.serverAddress(0), "-t", "1")) {
                    assertEquals(0, client.await(60), client.output());
                    assertTrue(client.output().contains("(FALLBACK)"), "status says the MPTCP socket fell back:\n" + client.output());
                    assertTrue(client.output().contains("receiver"), client.output());
                }
                assertEquals(0, server.await(30), server.output());
                assertTrue(server.output().contains("(FALLBACK)"), "the MPTCP listener got a plain TCP connection:\n" + server.output());
            }
            assertEquals(0, bed.server().counter("MPTcpExtMPCapableSYNRX"), "no MP_CAPABLE reached the server");
        }
    }
}
