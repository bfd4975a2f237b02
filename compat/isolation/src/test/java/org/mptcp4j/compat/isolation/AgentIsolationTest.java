package org.mptcp4j.compat.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.FieldRun.Outcome;
import org.mptcp4j.testbed.FieldRun;

/** The agent keeps to its own class loader: an application's jffi and mptcp4j-named classes stay the application's, and the agent still works. */
class AgentIsolationTest {
    @Test
    void anApplicationWithItsOwnJffiAndMptcp4jClassesKeepsThemAndIsMptcp() throws Exception {
        Outcome o = FieldRun.run(FieldRun.agent(null), CarriesAgentLibraries.class.getName(), 60, FieldRun.HOST);
        assertEquals(0, o.exit(), o.toString());
        assertEquals(1, o.lines("APP jffi=jffi-1.4.3.jar fdswap=the application's getpid=true").size(), o.toString());
        assertEquals(1, o.lines("OK ").size(), o.toString());
        assertEquals(1, o.mptcpHandshakes(), "the agent converted both ends with its own classes: " + o);
        assertTrue(o.lines("mptcp4j agent:").isEmpty(), o.toString());
    }
}
