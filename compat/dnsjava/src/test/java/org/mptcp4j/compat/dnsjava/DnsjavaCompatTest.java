package org.mptcp4j.compat.dnsjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.FieldRun.Outcome;

/**
 * dnsjava, unmodified, in its current (3.6) and its older major line (2.1): a resolver whose UDP client connects its
 * DatagramChannel (which failed under the agent before connected UDP sockets were left alone) and whose TCP client
 * the agent makes MPTCP, judged by the answers and the namespace's MPTCP handshakes.
 */
class DnsjavaCompatTest {
    private static final String CURRENT = "3.6", OLD = "2.1";

    /** The stack's class path for a line: the old line's jar in place of the current one's. */
    private static String classPath(String line) {
        if (line.equals(CURRENT)) {
            return FieldRun.stackClassPath();
        }
        String old = System.getProperty("dnsjava.old.jar");
        StringBuilder cp = new StringBuilder();
        for (String e : FieldRun.stackClassPath().split(File.pathSeparator)) {
            cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(e.matches(".*/dnsjava-[^/]*\\.jar$") ? old : e);
        }
        assertTrue(cp.toString().contains(old), "the old line's jar in the class path: " + cp);
        return cp.toString();
    }

    @ParameterizedTest(name = "dnsjava {0} without the agent")
    @ValueSource(strings = {CURRENT, OLD})
    void answersWithoutTheAgent(String line) throws Exception {
        Outcome o = FieldRun.runOn(classPath(line), List.of(), DnsQueries.class.getName(), 60, FieldRun.HOST);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(List.of("OK udp 198.18.0.53", "OK tcp 198.18.0.53"), o.lines("OK "), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNTX"), o.toString());
    }

    @ParameterizedTest(name = "dnsjava {0} under the agent: UDP answered as without it, the TCP query over MPTCP")
    @ValueSource(strings = {CURRENT, OLD})
    void answersUnderTheAgentWithTcpOverMptcp(String line) throws Exception {
        Outcome o = FieldRun.runOn(classPath(line), FieldRun.agent(null), DnsQueries.class.getName(), 60, FieldRun.HOST);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(List.of("OK udp 198.18.0.53", "OK tcp 198.18.0.53"), o.lines("OK "), o.toString());
        assertEquals(1, o.mptcpHandshakes(), "the TCP query, both ends MPTCP: " + o);
        assertTrue(o.lines("mptcp4j agent:").isEmpty(), "nothing to say: " + o);
    }
}
