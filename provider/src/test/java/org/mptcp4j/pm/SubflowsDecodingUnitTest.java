package org.mptcp4j.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sock_diag decoding against the datagrams Linux 6.18 sent for one MPTCP connection between the JDK's
 * dual-stack sockets (hence listed under AF_INET6, with IPv4-mapped addresses): 100,000 bytes, client
 * to server (provider/src/test/resources/golden).
 */
class SubflowsDecodingUnitTest {
    static List<byte[]> datagrams() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (var in = SubflowsDecodingUnitTest.class.getResourceAsStream("/golden/sock_diag_inet6.hex")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                out.add(HexFormat.of().parseHex(line.strip()));
            }
        }
        return out;
    }

    @Test
    void bothEndsOfTheConnectionAreFoundWithTheirTokensAndCounters() throws Exception {
        List<Subflows.Subflow> found = new ArrayList<>();
        List<byte[]> d = datagrams();
        assertFalse(Subflows.parse(d.get(0), 10, found), "the first datagram carries the sockets");
        assertTrue(Subflows.parse(d.get(1), 10, found), "the second is NLMSG_DONE");
        assertEquals(2, found.size(), found.toString());
        Subflows.Subflow client = found.stream().filter(s -> s.token() == 3492631169L).findFirst().orElseThrow();
        Subflows.Subflow server = found.stream().filter(s -> s.token() == 2137076015L).findFirst().orElseThrow();
        assertEquals(new InetSocketAddress("198.18.0.1", 44894), client.local(), "IPv4-mapped addresses read as IPv4");
        assertEquals(new InetSocketAddress("198.18.0.1", 41341), client.remote());
        assertEquals(100001, client.bytesAcked(), "the SYN counts as one byte");
        assertEquals(100000, server.bytesReceived());
        assertEquals(88, client.rttMicros());
        assertEquals(14, client.cwnd());
        assertEquals(server.remote(), client.local());
    }

    @Test
    void aDatagramOfOnlyDoneEndsTheDumpWithNothing() throws Exception {
        List<Subflows.Subflow> found = new ArrayList<>();
        assertTrue(Subflows.parse(datagrams().get(1), 10, found));
        assertTrue(found.isEmpty());
    }
}
