package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.it.OutcomePeer;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Testbed;

/**
 * Each fallback reason provoked for real between two fresh namespaces, reported by {@code Mptcp.status}
 * and {@code fallbackReason}, counted by the MBean, and checked against the kernel's own counters: a
 * plain TCP peer, a peer with {@code net.mptcp.enabled=0}, MPTCP SYNs dropped (then the blackhole
 * detection that follows), MPTCP options stripped after the handshake, a payload changed under DSS
 * checksums, a plain client of an MPTCP listener, and several at once in one namespace.
 */
class FallbackReasonTest {
    static final List<String> FLAGS = List.of(Mptcp.requiredJvmFlags().split(" "));
    static final String SERVER = Testbed.serverAddress(0);

    Testbed bed;

    @BeforeEach
    void freshNamespaces() throws Exception {
        Requirements.root();
        bed = Testbed.builder().label("fb").paths(1).mptcpEndpoints(false).build();
    }

    @AfterEach
    void remove() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void plainTcpPeerIsPeerWithoutMptcp() throws Exception {
        try (ChildJvm server = serve(6001, true)) {
            Map<String, String> o = connect("6001");
            assertEquals("FALLBACK PEER_WITHOUT_MPTCP", o.get("6001"));
        }
        assertEquals(1, bed.client().counter("MPTcpExtMPCapableFallbackSYNACK"), "the kernel: SYN-ACK without MPTCP");
    }

    @Test
    void peerWithMptcpDisabledIsPeerWithoutMptcp() throws Exception {
        bed.server().sysctl("net.mptcp.enabled", "0");
        try (ChildJvm server = serve(6002, false)) {
            assertTrue(server.awaitLine("READY", 1).endsWith("UNAVAILABLE"), "the server's listener: " + server.output());
            Map<String, String> o = connect("6002");
            assertEquals("FALLBACK PEER_WITHOUT_MPTCP", o.get("6002"));
        }
        assertEquals(0, bed.server().counter("MPTcpExtMPCapableSYNRX"), "the disabled peer's kernel took no MPTCP SYN");
    }

    @Test
    void droppedMptcpSynsAreSynDroppedThenBlackhole() throws Exception {
        bed.server().exec("iptables", "-A", "INPUT", "-p", "tcp", "--syn", "-m", "tcp", "--tcp-option", "30", "-j", "DROP");
        try (ChildJvm server = serve(6003, false)) {
            assertEquals("FALLBACK SYN_DROPPED", connect("6003").get("6003"));
            assertEquals(1, bed.client().counter("MPTcpExtMPCapableSYNTXDrop"), "the kernel: MPTCP SYNs dropped");
            assertEquals("FALLBACK BLACKHOLE", connect("6003").get("6003"), "the next connection, MPTCP now disabled");
        }
        assertEquals(1, bed.client().counter("MPTcpExtBlackhole"), "the kernel: blackhole detected");
        assertTrue(bed.client().counter("MPTcpExtMPCapableSYNTXDisabled") >= 1, "the kernel: SYN sent without MPTCP");
    }

    @Test
    void optionsStrippedAfterTheHandshakeAreOptionRemoved() throws Exception {
        bed.server().exec("iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "--sport", "6004", "--tcp-flags", "SYN", "NONE",
                "-j", "TCPOPTSTRIP", "--strip-options", "30");
        try (ChildJvm server = serve(6004, false)) {
            assertEquals("FALLBACK OPTION_REMOVED", connect("6004").get("6004"));
        }
        assertEquals(1, bed.client().counter("MPTcpExtMPCapableDataFallback"), "the kernel: data without MPTCP options");
    }

    @Test
    void payloadChangedUnderChecksumsIsStreamChanged() throws Exception {
        bed.client().sysctl("net.mptcp.checksum_enabled", "1");
        bed.server().sysctl("net.mptcp.checksum_enabled", "1");
        bed.server().exec("nft", "add table inet m4j");
        bed.server().exec("nft", "add chain inet m4j out { type filter hook output priority mangle; policy accept; }");
        // one byte 300 bytes into every large segment from the server: a middlebox rewriting the payload
        bed.server().exec("nft", "add rule inet m4j out tcp sport 6005 meta length > 500 @ih,2400,8 set 0x41");
        try (ChildJvm server = serve(6005, false)) {
            assertEquals("FALLBACK STREAM_CHANGED", connect("6005").get("6005"));
        }
        assertEquals(1, bed.client().counter("MPTcpExtDataCsumErr"), "the kernel: DSS checksum failed");
    }

    @Test
    void plainClientOfAnMptcpListenerIsPlainClient() throws Exception {
        try (ChildJvm server = serve(6006, false);
             ChildJvm client = ChildJvm.start(bed.client(), FLAGS, OutcomePeer.class, "tcp-connect", SERVER, "6006")) {
            client.awaitLine("CONNECTED", 30);
            assertEquals("ACCEPTED FALLBACK PLAIN_CLIENT", server.awaitLine("ACCEPTED", 30));
        }
        assertEquals(0, bed.server().counter("MPTcpExtMPCapableSYNRX"), "the kernel took no MPTCP SYN");
    }

    @Test
    void concurrentFallbacksEachKeepTheirOwnReason() throws Exception {
        bed.server().exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", "6013", "--syn", "-m", "tcp", "--tcp-option", "30",
                "-j", "DROP");
        bed.server().exec("iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "--sport", "6014", "--tcp-flags", "SYN", "NONE",
                "-j", "TCPOPTSTRIP", "--strip-options", "30");
        try (ChildJvm plain = serve(6011, true); ChildJvm mptcp = serve(6012, false); ChildJvm dropping = serve(6013, false);
             ChildJvm stripping = serve(6014, false)) {
            Map<String, String> o = connect("6011", "6012", "6013", "6014");
            assertEquals("FALLBACK PEER_WITHOUT_MPTCP", o.get("6011"));
            assertEquals("MPTCP -", o.get("6012"));
            assertEquals("FALLBACK SYN_DROPPED", o.get("6013"));
            assertEquals("FALLBACK OPTION_REMOVED", o.get("6014"));
            String counters = o.get("COUNTERS");
            // the stripped connection negotiated, then fell back once data flowed: both are counted
            assertTrue(counters.contains("negotiated=2 fellBack=3 (PEER_WITHOUT_MPTCP=1 OPTION_REMOVED=1 SYN_DROPPED=1)"), counters);
            assertTrue(counters.contains("mode=library"), counters);
        }
    }

    private ChildJvm serve(int port, boolean tcp) throws Exception {
        ChildJvm s = tcp ? ChildJvm.start(bed.server(), FLAGS, OutcomePeer.class, "serve", Integer.toString(port), "tcp")
                : ChildJvm.start(bed.server(), FLAGS, OutcomePeer.class, "serve", Integer.toString(port));
        s.awaitLine("READY", 30);
        return s;
    }

    /** Connects to each port at once from the client namespace: port -> "status reason", and "COUNTERS" -> the MBean's summary. */
    private Map<String, String> connect(String... ports) throws Exception {
        String[] args = new String[ports.length + 2];
        args[0] = "connect";
        args[1] = SERVER;
        System.arraycopy(ports, 0, args, 2, ports.length);
        try (ChildJvm client = ChildJvm.start(bed.client(), FLAGS, OutcomePeer.class, args)) {
            assertEquals(0, client.await(90), client.output());
            Map<String, String> out = client.output().lines().filter(l -> l.startsWith("OUTCOME "))
                    .collect(Collectors.toMap(l -> l.split(" ")[1], l -> l.split(" ")[2] + " " + l.split(" ")[3]));
            client.output().lines().filter(l -> l.startsWith("COUNTERS ")).findFirst().ifPresent(l -> out.put("COUNTERS", l));
            assertEquals(ports.length, out.size() - 1, client.output());
            return out;
        }
    }
}
