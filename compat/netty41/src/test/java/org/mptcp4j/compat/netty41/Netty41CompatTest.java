package org.mptcp4j.compat.netty41;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.testbed.FieldRun.Outcome;
import org.mptcp4j.testbed.FieldRun;

/** Netty 4.1, unmodified, on NIO and on its native epoll transport: client and server converted, payloads intact. */
class Netty41CompatTest {
    static final int CONNECTIONS = 4;

    @ParameterizedTest(name = "{0} without the agent: plain TCP")
    @ValueSource(strings = {"nio", "epoll"})
    void worksWithoutTheAgent(String transport) throws Exception {
        Outcome o = FieldRun.run(List.of(), Netty41Echo.class.getName(), 60, transport, FieldRun.HOST, "" + CONNECTIONS);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
    }

    @ParameterizedTest(name = "{0} under the agent: every connection MPTCP at both ends")
    @ValueSource(strings = {"nio", "epoll"})
    void everyConnectionIsMptcpUnderTheAgent(String transport) throws Exception {
        Outcome o = FieldRun.run(FieldRun.agent(null), Netty41Echo.class.getName(), 60, transport, FieldRun.HOST, "" + CONNECTIONS);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(CONNECTIONS, o.mptcpHandshakes(), o.toString());
        assertTrue(o.lines("mptcp4j agent:").isEmpty(), "nothing to say: " + o);
    }

    @Test
    void epollArrivingAfterTheAgentStoppedWatchingClassLoadingIsConvertedFromItsNativeLibrary() throws Exception {
        List<String> jvm = new ArrayList<>(FieldRun.agent("log=debug"));
        jvm.add("-Dmptcp4j.agent.eagerAfterClasses=1"); // the agent stops watching before the program's first class
        Outcome o = FieldRun.run(jvm, AroundTheAgentsThread.class.getName(), 60, "before", Netty41Echo.class.getName(), "epoll",
                FieldRun.HOST, "" + CONNECTIONS);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(1, o.lines("mptcp4j agent: stopped watching class loading").size(), o.toString());
        assertEquals(1, o.lines("mptcp4j agent: watching class loading again: Netty's native transport is loading").size(), o.toString());
        assertEquals(CONNECTIONS, o.mptcpHandshakes(), o.toString());
    }

    @Test
    void epollLoadedBeforeTheAgentCouldStopWatchingKeepsItWatching() throws Exception {
        // Netty's Native loads some 500 classes into the program, the agent's threshold is 1,000
        Outcome o = FieldRun.run(FieldRun.agent("log=debug"), AroundTheAgentsThread.class.getName(), 60, "after",
                Netty41Echo.class.getName(), "epoll", FieldRun.HOST, "" + CONNECTIONS);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("mptcp4j agent: keeps watching class loading: Netty's native transport may be loaded").size(), o.toString());
        assertTrue(o.lines("mptcp4j agent: stopped watching").isEmpty(), o.toString());
        assertEquals(CONNECTIONS, o.mptcpHandshakes(), o.toString());
    }

    @Test
    void connectedEpollUdpChannelsWorkAsWithoutTheAgent() throws Exception {
        // each on the fd number of a TCP client channel closed before it connected, which the agent had put aside for its connect
        Outcome o = FieldRun.run(FieldRun.agent(null), Netty41Udp.class.getName(), 60, FieldRun.HOST);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK a b c").size(), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNTX"), o.toString());
        assertTrue(o.lines("mptcp4j agent:").isEmpty(), "nothing to say: " + o);
    }

    @ParameterizedTest(name = "{0} with per-connection options frameworks set: still MPTCP, still working")
    @ValueSource(strings = {"nio", "epoll"})
    void frameworkOptionsKeepWorkingOnMptcp(String transport) throws Exception {
        Outcome o = FieldRun.run(FieldRun.agent(null), Netty41Echo.class.getName(), 60, transport, FieldRun.HOST, "" + CONNECTIONS, "options");
        assertEquals(0, o.exit(), o.toString());
        assertEquals(CONNECTIONS, o.mptcpHandshakes(), o.toString());
        if (transport.equals("epoll")) {
            // TCP_QUICKACK (a hint) and SO_REUSEADDR on connected sockets, refused by MPTCP: accepted, said once each
            assertEquals(1, o.lines("mptcp4j agent: TCP_QUICKACK on MPTCP sockets: accepted and recorded").size(), o.toString());
        }
    }
}
