package org.mptcp4j.compat.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.FieldRun.Outcome;
import org.mptcp4j.testbed.FieldRun;

/** Vert.x HTTP server and client on its native epoll transport, unmodified: one connection per request. */
class VertxCompatTest {
    static final int REQUESTS = 4;

    @Test
    void worksWithoutTheAgentOnNativeEpoll() throws Exception {
        Outcome o = FieldRun.run(List.of(), VertxHttpEcho.class.getName(), 60, FieldRun.HOST, "" + REQUESTS);
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.output().contains("OK requests=" + REQUESTS) && o.output().contains("native=true"), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
    }

    @Test
    void everyConnectionIsMptcpUnderTheAgent() throws Exception {
        Outcome o = FieldRun.run(FieldRun.agent(null), VertxHttpEcho.class.getName(), 60, FieldRun.HOST, "" + REQUESTS);
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.output().contains("OK requests=" + REQUESTS) && o.output().contains("native=true"), o.toString());
        assertEquals(REQUESTS, o.mptcpHandshakes(), o.toString());
        // Vert.x sets TCP_QUICKACK on every accepted channel: MPTCP refuses it, mptcp4j accepts it and says so once
        assertEquals(1, o.lines("mptcp4j agent:").size(), o.toString());
        assertEquals(1, o.lines("mptcp4j agent: TCP_QUICKACK on MPTCP sockets: accepted").size(), o.toString());
    }
}
