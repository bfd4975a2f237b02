package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.internal.engine.InfoReader;

/**
 * MPTCP_FULL_INFO decoding against bytes the kernel (Linux 6.18) wrote for a real connection: one
 * MPTCP connection over a veth, 100,000 bytes sent and acknowledged (provider/src/test/resources/golden).
 */
class InfoDecodingUnitTest {
    static MptcpInfo golden() throws Exception {
        List<byte[]> raw = new ArrayList<>();
        try (var in = InfoDecodingUnitTest.class.getResourceAsStream("/golden/mptcp_full_info.hex")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                raw.add(HexFormat.of().parseHex(line.strip()));
            }
        }
        return InfoReader.decodeFullInfo(raw.get(0), List.of(raw.get(1)), List.of(raw.get(2)));
    }

    @Test
    void theConnectionLevelCountersAreTheKernels() throws Exception {
        MptcpInfo info = golden();
        assertEquals(695085199L, info.token());
        assertEquals(100000, info.bytesSent());
        assertEquals(100000, info.bytesAcked());
        assertEquals(0, info.bytesReceived());
        assertEquals(0, info.bytesRetransmitted());
        assertEquals(2, info.subflowsMax());
        assertFalse(info.checksum());
    }

    @Test
    void eachSubflowHasItsAddressesAndTcpInfo() throws Exception {
        List<SubflowInfo> subflows = golden().subflows();
        assertEquals(1, subflows.size());
        SubflowInfo sf = subflows.get(0);
        assertEquals(1, sf.id());
        assertEquals(new InetSocketAddress("198.18.0.1", 39378), sf.local());
        assertEquals(new InetSocketAddress("198.18.0.1", 35299), sf.remote());
        assertEquals(1, sf.tcpState(), "TCP_ESTABLISHED");
        assertEquals(62, sf.rttMicros());
        assertEquals(14, sf.congestionWindow());
        assertEquals(100000, sf.bytesSent());
        assertEquals(100001, sf.bytesAcked(), "the SYN counts as one byte in tcpi_bytes_acked");
        assertFalse(sf.interfaceName().isPresent(), "resolved later, outside the socket's lock");
    }

    @Test
    void aShorterTcpInfoFromAnOlderKernelReadsAsZeros() throws Exception {
        List<byte[]> raw = new ArrayList<>();
        try (var in = InfoDecodingUnitTest.class.getResourceAsStream("/golden/mptcp_full_info.hex")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                raw.add(HexFormat.of().parseHex(line.strip()));
            }
        }
        byte[] header = raw.get(0).clone();
        header[0] = 104; // the kernel says it wrote a 104-byte tcp_info (Linux 4.x size): later fields are absent
        header[1] = 0;
        SubflowInfo sf = InfoReader.decodeFullInfo(header, List.of(raw.get(1)), List.of(raw.get(2))).subflows().get(0);
        assertEquals(62, sf.rttMicros(), "within the first 104 bytes");
        assertEquals(0, sf.bytesSent(), "tcpi_bytes_sent lies beyond them");
    }
}
