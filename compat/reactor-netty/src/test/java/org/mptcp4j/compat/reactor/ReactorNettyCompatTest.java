package org.mptcp4j.compat.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.FieldRun.Outcome;
import org.mptcp4j.testbed.FieldRun;

/** Reactor Netty 1.2 (Netty 4.1) HTTP server and client on native epoll, unmodified. */
class ReactorNettyCompatTest {
    static final int REQUESTS = 4;

    @Test
    void worksWithoutTheAgentOnNativeEpoll() throws Exception {
        Outcome o = FieldRun.run(List.of(), ReactorHttpEcho.class.getName(), 60, FieldRun.HOST, "" + REQUESTS);
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.output().contains("OK requests=" + REQUESTS) && o.output().contains("epoll=true"), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
    }

    @Test
    void everyConnectionIsMptcpUnderTheAgent() throws Exception {
        Outcome o = FieldRun.run(FieldRun.agent(null), ReactorHttpEcho.class.getName(), 60, FieldRun.HOST, "" + REQUESTS);
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.output().contains("OK requests=" + REQUESTS) && o.output().contains("epoll=true"), o.toString());
        assertEquals(REQUESTS, o.mptcpHandshakes(), o.toString());
        assertTrue(o.lines("mptcp4j agent:").isEmpty(), "nothing to say: " + o);
    }
}
