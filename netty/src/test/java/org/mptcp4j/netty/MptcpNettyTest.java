package org.mptcp4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.Requirements;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.FieldRun.Outcome;

/**
 * The module's channels with unmodified handlers, NIO and epoll, judged by the kernel's counters in a
 * fresh namespace and by intact payloads. Runs on the Netty this module is built against (4.1), and
 * again on 4.2 in compat/netty42.
 */
class MptcpNettyTest {
    static final int CONNECTIONS = 3;
    static final String NETTY = io.netty.util.Version.identify().get("netty-common").artifactVersion();

    @ParameterizedTest(name = "{0}: client and server MPTCP by the kernel's count")
    @ValueSource(strings = {"nio", "epoll"})
    void clientAndServerAreMptcp(String transport) throws Exception {
        Requirements.root();
        Outcome o = FieldRun.runLibrary(Map.of(), ModuleEcho.class.getName(), 60, transport, FieldRun.HOST, "" + CONNECTIONS);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(CONNECTIONS, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
        assertEquals(CONNECTIONS, o.counter("MPTcpExtMPCapableACKRX"), o.toString());
        assertEquals(CONNECTIONS, o.lines("CLIENT MPTCP subflows=1").size(), o.toString());
        assertEquals(CONNECTIONS, o.lines("SERVER MPTCP").size(), o.toString());
        assertEquals(1, o.lines("LISTENER MPTCP").size(), o.toString());
        assertTrue(o.lines("OK ").get(0).endsWith(" netty=" + NETTY), "ran on the Netty of this class path: " + o);
    }

    @ParameterizedTest(name = "{0}: a plain Netty client is served, as TCP")
    @ValueSource(strings = {"nio", "epoll"})
    void plainClientIsServedAsTcp(String transport) throws Exception {
        Requirements.root();
        Outcome o = FieldRun.runLibrary(Map.of(), ModuleEcho.class.getName(), 60, transport, FieldRun.HOST, "" + CONNECTIONS, "client=netty");
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
        assertEquals(CONNECTIONS, o.lines("SERVER FALLBACK").size(), o.toString());
    }

    @ParameterizedTest(name = "{0}: MPTCP disabled in the kernel: plain TCP that works, said once")
    @ValueSource(strings = {"nio", "epoll"})
    void fallsBackToTcpWhereMptcpIsDisabled(String transport) throws Exception {
        Requirements.root();
        Outcome o = FieldRun.runLibrary(Map.of("net.mptcp.enabled", "0"), ModuleEcho.class.getName(), 60, transport,
                FieldRun.HOST, "" + CONNECTIONS);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
        assertEquals(CONNECTIONS, o.lines("CLIENT UNAVAILABLE").size(), o.toString());
        assertEquals(1, o.output().lines().filter(l -> l.contains("using plain TCP")).count(), o.toString());
    }

    @ParameterizedTest(name = "{0}: strict, MPTCP disabled: the bootstrap fails, naming why")
    @ValueSource(strings = {"nio", "epoll"})
    void strictFailsWhereMptcpIsDisabled(String transport) throws Exception {
        Requirements.root();
        Outcome o = FieldRun.runLibrary(Map.of("net.mptcp.enabled", "0"), ModuleEcho.class.getName(), 60, transport,
                FieldRun.HOST, "" + CONNECTIONS, "strict");
        assertEquals(1, o.exit(), o.toString());
        assertEquals(1, o.lines("FAILED ").size(), o.toString());
        assertTrue(o.lines("FAILED ").get(0).contains("MPTCP required but unavailable"), o.toString());
    }

    @org.junit.jupiter.api.Test
    void aChildOptionMptcpRefusesIsAnsweredOnTheModulesNioChannels() throws Exception {
        Requirements.root();
        Outcome o = FieldRun.runLibrary(Map.of(), ModuleEcho.class.getName(), 60, "nio", FieldRun.HOST, "" + CONNECTIONS, "quickack");
        assertEquals(0, o.exit(), o.toString());
        assertEquals(CONNECTIONS, o.lines("SERVER MPTCP").size(), o.toString());
        assertTrue(o.output().lines().noneMatch(l -> l.contains("Failed to set channel option")), o.toString());
    }

    /**
     * The limit docs/netty.md states: a child option MPTCP refuses (TCP_QUICKACK, as Vert.x sets) reaches
     * the kernel through Netty's own JNI, where the module cannot answer it. Netty 4.1 logs it and keeps
     * the connection; Netty 4.2 closes the accepted channel. (The agent answers it: compat's tests.)
     */
    @org.junit.jupiter.api.Test
    void aChildOptionMptcpRefusesOnEpollIsNettysToHandle() throws Exception {
        Requirements.root();
        Outcome o = FieldRun.runLibrary(Map.of(), ModuleEcho.class.getName(), 60, "epoll", FieldRun.HOST, "1", "quickack");
        assertTrue(o.output().lines().anyMatch(l -> l.contains("Failed to set channel option") && l.contains("TCP_QUICKACK")), o.toString());
        if (NETTY.startsWith("4.1.")) {
            assertEquals(0, o.exit(), o.toString());
            assertEquals(1, o.lines("SERVER MPTCP").size(), o.toString());
        } else {
            assertEquals(1, o.exit(), o.toString());
            assertTrue(o.output().contains("Failed to register an accepted channel"), o.toString());
        }
    }
}
