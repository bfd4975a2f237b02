package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.programs.OptionWalk;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;

/**
 * Every supported socket option, set and read back on client, accepted and listening sockets
 * (IPv4, IPv6, dual-stack; NIO channels, asynchronous channels and java.net sockets), gives on MPTCP exactly what it gives
 * on TCP, through the library and through the system properties. The kernel refuses some of them
 * on MPTCP (SO_OOBINLINE, TCP_QUICKACK, IP_TOS on IPv6, reuse flags once connected); the walk
 * fails if any refusal reaches the program. The sockets' protocol is checked with the kernel
 * (SO_PROTOCOL, TCP_IS_MPTCP), each walk in a fresh namespace.
 */
class SocketOptionCompatibilityTest {
    Netns ns;

    @BeforeEach
    void freshNamespace() throws Exception {
        Requirements.root();
        ns = Netns.create("opts").withLocalAddress("198.18.0.1/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private String walk(List<String> flags, String... args) throws Exception {
        return walkIn(ns, flags, args);
    }

    /** The same walk where the kernel refuses MPTCP (net.mptcp.enabled=0): the library's TCP fallback, same objects. */
    private String walkOnTcpFallback(List<String> flags, String... args) throws Exception {
        try (Netns tcp = Netns.create("optstcp").withLocalAddress("198.18.0.1/24")) {
            tcp.sysctl("net.mptcp.enabled", "0");
            return walkIn(tcp, flags, args);
        }
    }

    private static String walkIn(Netns where, List<String> flags, String... args) throws Exception {
        try (ChildJvm child = ChildJvm.start(where, flags, OptionWalk.class, args)) {
            assertEquals(0, child.await(120), child.output());
            assertTrue(child.output().contains("OK walked"), child.output());
            return child.output();
        }
    }

    private static List<String> options(String out) {
        return out.lines().filter(l -> l.startsWith("OPT ")).collect(Collectors.toList());
    }

    private static List<String> plainFlags() {
        List<String> f = new ArrayList<>(List.of(Mptcp.requiredJvmFlags().split(" ")));
        if (Runtime.version().feature() >= 22) {
            f.add("--enable-native-access=ALL-UNNAMED");
        }
        return f;
    }

    /** Equal lists, or a failure that names only the lines that differ. */
    private static void assertSameOutcome(List<String> onTcp, List<String> onMptcp) {
        List<String> diff = new ArrayList<>();
        for (int i = 0; i < Math.max(onTcp.size(), onMptcp.size()); i++) {
            String t = i < onTcp.size() ? onTcp.get(i) : "(none)";
            String m = i < onMptcp.size() ? onMptcp.get(i) : "(none)";
            if (!t.equals(m)) {
                diff.add("TCP:   " + t + "\nMPTCP: " + m);
            }
        }
        assertTrue(diff.isEmpty(), diff.size() + " of " + onTcp.size() + " set/get outcomes differ on MPTCP:\n" + String.join("\n", diff));
    }

    private static void assertAllMptcp(String out, long walks) {
        assertEquals(walks, out.lines().filter(l -> l.startsWith("STATUS") && l.contains("client=MPTCP")
                && l.contains("accepted=MPTCP") && l.contains("listener=MPTCP")).count(), "the walked sockets were MPTCP:\n" + out);
    }

    @Test
    void libraryChannelsAndSocketsAcceptEveryOptionTcpAccepts() throws Exception {
        String tcp = walkOnTcpFallback(plainFlags(), "library");
        assertEquals(0, tcp.lines().filter(l -> l.startsWith("STATUS") && l.contains("=MPTCP")).count(), "baseline is TCP:\n" + tcp);
        String mptcp = walk(plainFlags(), "library");
        assertAllMptcp(mptcp, 3); // the library has no asynchronous openers: those stay TCP here
        assertTrue(options(tcp).size() > 300, "options walked: " + options(tcp).size());
        assertSameOutcome(options(tcp), options(mptcp));
    }

    @Test
    void systemPropertyChannelsAndSocketsAcceptEveryOptionTcpAccepts() throws Exception {
        String tcp = walk(plainFlags());
        String mptcp = walk(SystemPropertySwitchTest.flags("-Dmptcp4j.loopback=mptcp"));
        assertAllMptcp(mptcp, 4); // inet, inet6, dual and the asynchronous channels
        assertSameOutcome(options(tcp), options(mptcp));
    }

    @Test
    void strictSystemPropertiesReportRefusedOptionsInsteadOfHidingThem() throws Exception {
        String out = walk(SystemPropertySwitchTest.flags("-Dmptcp4j.loopback=mptcp", "-Dmptcp4j.strict=true"));
        assertTrue(out.lines().anyMatch(l -> l.startsWith("OPT channel client inet SO_OOBINLINE") && l.contains("set=ERR")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("OPT aio accepted default SO_REUSEADDR") && l.contains("set=ERR")), out);
    }

    /** Bytes the namespace sent with TOS 0x10 in the IPv4 header, by an iptables counter ("tos match0x10/0xff"). */
    private long bytesMarked() throws Exception {
        String rules = ns.exec("iptables", "-L", "OUTPUT", "-v", "-x", "-n");
        return rules.lines().filter(l -> l.replace(" ", "").contains("tosmatch0x10"))
                .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[1])).sum();
    }

    private String tosProbe(String mode) throws Exception {
        ns.exec("iptables", "-A", "OUTPUT", "-p", "tcp", "-d", "198.18.0.1", "-m", "tos", "--tos", "0x10", "-j", "ACCEPT");
        try (ChildJvm child = ChildJvm.start(ns, plainFlags(), org.mptcp4j.programs.TosProbe.class, "198.18.0.1", mode)) {
            assertEquals(0, child.await(60), child.output());
            assertTrue(child.output().contains("STATUS MPTCP"), child.output());
            return child.output();
        }
    }

    @Test
    void trafficClassOnTheDualStackSocketMarksTheIpv4Packets() throws Exception {
        Requirements.iptables();
        String out = tosProbe("set");
        assertTrue(out.contains("tos=16"), out);
        assertTrue(bytesMarked() >= 1 << 20, "1 MiB left with TOS 0x10 in the IPv4 header:\n" + ns.exec("iptables", "-L", "OUTPUT", "-v", "-x", "-n"));
    }

    @Test
    void withoutTrafficClassNoPacketIsMarked() throws Exception {
        Requirements.iptables();
        tosProbe("none");
        assertEquals(0, bytesMarked(), "control: the counter only counts what IP_TOS marked");
    }

    @Test
    void switchedOffChannelClassesLeaveTheJdkClassesAndTheKernelsRefusals() throws Exception {
        List<String> flags = plainFlags();
        flags.add("-Dmptcp4j.compatChannels=false");
        String out = walk(flags, "library");
        assertAllMptcp(out, 3);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("OPT channel client inet SO_OOBINLINE") && l.contains("set=ERR")), out);
        assertTrue(out.contains("CLASS sun.nio.ch.SocketChannelImpl"), out);
    }

    @Test
    void libraryChannelsAreTheJdkChannelSubclass() throws Exception {
        String out = walk(plainFlags(), "library");
        assertTrue(out.contains("CLASS sun.nio.ch.MptcpSocketChannelImpl"), out);
    }

    @Test
    void strictLibraryReportsRefusedOptionsInsteadOfHidingThem() throws Exception {
        String out = walk(plainFlags(), "strict");
        assertTrue(out.lines().anyMatch(l -> l.startsWith("OPT channel client inet SO_OOBINLINE") && l.contains("set=ERR")), out);
    }
}
