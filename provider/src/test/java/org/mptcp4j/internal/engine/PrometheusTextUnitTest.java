package org.mptcp4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mptcp4j.Availability;
import org.mptcp4j.FallbackReason;
import org.mptcp4j.MptcpCounters;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/** The Prometheus text the endpoint serves, and the values its setting takes. */
class PrometheusTextUnitTest {

    static SubflowInfo subflow(String local, String remote, String nif, long sent, long received) throws Exception {
        String[] l = local.split(":");
        String[] r = remote.split(":");
        return new SubflowInfo(1, new InetSocketAddress(InetAddress.getByName(l[0]), Integer.parseInt(l[1])),
                new InetSocketAddress(InetAddress.getByName(r[0]), Integer.parseInt(r[1])), Optional.ofNullable(nif),
                SubflowInfo.ESTABLISHED, 100, 50, 10, 1448, sent, sent, received, 0, 0);
    }

    static MptcpInfo connection(SubflowInfo... subflows) {
        return new MptcpInfo(7, 0, subflows.length - 1, 0, 0, 2, 2, 2, 1, 2, false, 0, 0, 0, 0, 0, List.of(subflows));
    }

    @Test
    void everyLineIsACommentOrASampleWithAnIntegerValue() throws Exception {
        String text = PrometheusText.render(new MptcpCounters(3, 1, 0, 2, Map.of(FallbackReason.PLAIN_CLIENT, 1L)),
                Availability.SUPPORTED, List.of(connection(subflow("198.18.1.1:40000", "198.18.1.2:80", "eth0", 10, 20))));
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("# HELP mptcp4j_") || line.startsWith("# TYPE mptcp4j_")
                    || line.matches("mptcp4j_[a-z_]+(\\{([a-z]+=\"[^\"]*\",?)+\\})? \\d+"), line);
        }
    }

    @Test
    void countersCarryOutcomeAndEveryReasonEvenAtZero() {
        String text = PrometheusText.render(new MptcpCounters(3, 1, 0, 2, Map.of(FallbackReason.SYN_DROPPED, 4L)),
                Availability.SUPPORTED, List.of());
        assertTrue(text.contains("mptcp4j_connections_total{outcome=\"mptcp\",reason=\"none\"} 2\n"), text);
        assertTrue(text.contains("mptcp4j_connections_total{outcome=\"fallback\",reason=\"syn_dropped\"} 4\n"), text);
        for (FallbackReason r : FallbackReason.values()) {
            assertTrue(text.contains("reason=\"" + PrometheusText.tag(r) + "\"}"), r.name());
        }
        assertTrue(text.contains("mptcp4j_sockets_total{decision=\"kept_tcp\"} 1\n"), text);
        assertTrue(text.contains("mptcp4j_connections_active 0\n"), text);
    }

    @Test
    void subflowsAreSummedPerInterface() throws Exception {
        String text = PrometheusText.render(new MptcpCounters(0, 0, 0, 0, Map.of()), Availability.SUPPORTED, List.of(
                connection(subflow("198.18.1.1:40000", "198.18.1.2:80", "eth0", 10, 20), subflow("198.18.2.1:40001", "198.18.2.2:80", "eth1", 5, 6)),
                connection(subflow("198.18.1.1:40002", "198.18.1.2:80", "eth0", 1, 2))));
        assertTrue(text.contains("mptcp4j_connections_active 2\n"), text);
        assertTrue(text.contains("mptcp4j_subflows_active 3\n"), text);
        assertTrue(text.contains("mptcp4j_interface_sent_bytes{interface=\"eth0\"} 11\n"), text);
        assertTrue(text.contains("mptcp4j_interface_received_bytes{interface=\"eth1\"} 6\n"), text);
        assertTrue(text.contains("mptcp4j_subflow_sent_bytes{interface=\"eth1\",local=\"198.18.2.1:40001\",remote=\"198.18.2.2:80\"} 5\n"), text);
    }

    @Test
    void ipv6AddressesAreBracketedWithoutScope() throws Exception {
        assertEquals("[fe80:0:0:0:0:0:0:1]:443", PrometheusText.address(new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 443)));
    }

    @Test
    void labelValuesEscapeQuotesBackslashesAndNewlines() {
        assertEquals("a\\\"b\\\\c\\nd", PrometheusText.escape("a\"b\\c\nd"));
    }

    @Test
    void aBarePortListensOnLoopbackOnly() {
        InetSocketAddress a = MetricsEndpoint.parse("9464");
        assertTrue(a.getAddress().isLoopbackAddress(), a.toString());
        assertEquals(9464, a.getPort());
    }

    @Test
    void anAddressIsListenedOnAsGiven() {
        assertTrue(MetricsEndpoint.parse("0.0.0.0:9464").getAddress().isAnyLocalAddress());
        assertEquals(9100, MetricsEndpoint.parse("[::1]:9100").getPort());
    }

    @Test
    void offAndEmptyMeanNoEndpoint() {
        assertNull(MetricsEndpoint.parse("off"));
        assertNull(MetricsEndpoint.parse(""));
    }

    @Test
    void badValuesAreRefused() {
        for (String bad : List.of("http", "localhost:http", "70000", ":9464", "-1", "a b:9464")) {
            assertThrows(IllegalArgumentException.class, () -> MetricsEndpoint.parse(bad), bad);
        }
    }

    @Test
    void fdLinksNameSocketsByInode() {
        assertEquals(12345, LiveConnections.parseSocketLink("socket:[12345]"));
        assertEquals(-1, LiveConnections.parseSocketLink("pipe:[12345]"));
        assertEquals(-1, LiveConnections.parseSocketLink("/dev/null"));
    }
}
