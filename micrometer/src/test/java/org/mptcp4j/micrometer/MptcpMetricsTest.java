package org.mptcp4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.Mptcp;
import org.mptcp4j.Requirements;
import org.mptcp4j.micrometer.it.MeteredPeer;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Testbed;

/**
 * A library server with the binder on a SimpleMeterRegistry, between two fresh namespaces joined by two
 * links: its meters against the kernel's counters while multipath connections are open.
 */
class MptcpMetricsTest {
    static final List<String> FLAGS = List.of(Mptcp.requiredJvmFlags().split(" "));
    static final int CLIENTS = 3;
    static final int BYTES = 200_000;

    Testbed bed;

    @BeforeEach
    void freshNamespaces() throws Exception {
        Requirements.root();
        bed = Testbed.builder().label("mm").paths(2).mptcpEndpoints(true).build();
    }

    @AfterEach
    void remove() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void metersAgreeWithTheKernelWhileMultipathConnectionsAreOpen() throws Exception {
        String host = Testbed.serverAddress(0);
        try (ChildJvm server = ChildJvm.start(bed.server(), FLAGS, MeteredPeer.class, "serve", "7100")) {
            server.awaitLine("READY", 30);
            try (ChildJvm mptcp = ChildJvm.start(bed.client(), FLAGS, MeteredPeer.class, "connect", host, "7100",
                         Integer.toString(CLIENTS), Integer.toString(BYTES))) {
                assertEquals("CONNECTED MPTCP", mptcp.awaitLine("CONNECTED", 30));
                try (ChildJvm plain = ChildJvm.start(bed.client(), FLAGS, MeteredPeer.class, "tcp", host, "7100")) {
                    plain.awaitLine("CONNECTED", 30);
                    bed.server().awaitCounter("MPTcpExtMPJoinAckRx", CLIENTS, 20);
                    send(mptcp, "go");
                    mptcp.awaitLine("SENT", 30);
                    send(server, "print " + CLIENTS + " " + 2 * CLIENTS + " " + CLIENTS * BYTES);
                    server.awaitLine("END", 40);
                    Map<String, Long> m = meters(server.output());

                    assertEquals(CLIENTS, bed.server().counter("MPTcpExtMPCapableSYNRX"), "the kernel: MPTCP SYNs at the listener");
                    assertEquals(CLIENTS, m.get("mptcp4j.connections{app=metered,outcome=mptcp,reason=none}"), m.toString());
                    assertEquals(1, m.get("mptcp4j.connections{app=metered,outcome=fallback,reason=plain_client}"), m.toString());
                    assertEquals(1, m.get("mptcp4j.sockets{app=metered,decision=converted}"), "the listener: " + m);
                    assertEquals(CLIENTS, m.get("mptcp4j.connections.active{app=metered}"), m.toString());
                    assertEquals(2 * CLIENTS, m.get("mptcp4j.subflows.active{app=metered}"), "one join per connection, as the kernel counted");
                    assertEquals(1, m.get("mptcp4j.available{app=metered,availability=supported}"), m.toString());
                    long received = 0;
                    int rows = 0;
                    for (Map.Entry<String, Long> e : m.entrySet()) {
                        if (e.getKey().startsWith("mptcp4j.subflow.received{")) {
                            received += e.getValue();
                            rows++;
                        }
                    }
                    assertEquals(2 * CLIENTS, rows, "one row per subflow: " + m);
                    assertTrue(received >= CLIENTS * (long) BYTES, "every payload byte arrived on some subflow: " + received);
                    assertTrue(m.containsKey("mptcp4j.interface.received{app=metered,interface=eth0}"), m.toString());
                    assertTrue(m.containsKey("mptcp4j.interface.received{app=metered,interface=eth1}"), "both links: " + m);
                }
            }
            server.stdin().close();
            assertEquals(0, server.await(30), server.output());
        }
    }

    private static void send(ChildJvm child, String line) throws Exception {
        child.stdin().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        child.stdin().flush();
    }

    private static Map<String, Long> meters(String output) {
        Map<String, Long> m = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("METER ")) {
                int space = line.lastIndexOf(' ');
                m.put(line.substring(6, space), Long.parseLong(line.substring(space + 1).trim()));
            }
        }
        return m;
    }
}
