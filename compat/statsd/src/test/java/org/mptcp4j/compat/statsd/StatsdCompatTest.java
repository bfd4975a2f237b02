package org.mptcp4j.compat.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.FieldRun.Outcome;

/**
 * Micrometer's StatsD registry, unmodified: a published UDP client, on its shaded Netty's NIO (a JDK DatagramChannel)
 * and epoll transports, sends under the agent as without it. (It passed with the agent before the connected-UDP fix
 * too: AgentTest and Netty41CompatTest are the tests that failed then.)
 */
class StatsdCompatTest {
    /** The JVM flags for a transport: its shaded Reactor Netty's switch, relocated with it. */
    private static List<String> transport(String name, List<String> agent) {
        List<String> jvm = new ArrayList<>(agent);
        if (name.equals("nio")) {
            jvm.add("-Dio.micrometer.shaded.reactor.netty.native=false");
        }
        return jvm;
    }

    @ParameterizedTest(name = "{0} without the agent")
    @ValueSource(strings = {"nio", "epoll"})
    void sendsWithoutTheAgent(String name) throws Exception {
        Outcome o = FieldRun.run(transport(name, List.of()), StatsdLines.class.getName(), 60, FieldRun.HOST);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
    }

    @ParameterizedTest(name = "{0} under the agent: sends as without it, nothing said")
    @ValueSource(strings = {"nio", "epoll"})
    void sendsUnderTheAgentAsWithoutIt(String name) throws Exception {
        Outcome o = FieldRun.run(transport(name, FieldRun.agent(null)), StatsdLines.class.getName(), 60, FieldRun.HOST);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNTX"), o.toString());
        assertTrue(o.lines("mptcp4j agent:").isEmpty(), "nothing to say: " + o);
    }
}
