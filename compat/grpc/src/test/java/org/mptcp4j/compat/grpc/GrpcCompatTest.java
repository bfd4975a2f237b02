package org.mptcp4j.compat.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.FieldRun.Outcome;
import org.mptcp4j.testbed.FieldRun;

/** gRPC-java 1.85 on grpc-netty-shaded, its default transport (relocated epoll), unmodified. */
class GrpcCompatTest {
    static final String CALLS = "8";

    @Test
    void worksWithoutTheAgentOnItsRelocatedEpoll() throws Exception {
        Outcome o = FieldRun.run(List.of(), GrpcEcho.class.getName(), 60, FieldRun.HOST, CALLS);
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.output().contains("OK calls=8") && o.output().contains("transport=epoll"), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
    }

    @Test
    void clientAndServerAreMptcpUnderTheAgent() throws Exception {
        Outcome o = FieldRun.run(FieldRun.agent(null), GrpcEcho.class.getName(), 60, FieldRun.HOST, CALLS);
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.output().contains("OK calls=8") && o.output().contains("transport=epoll"), o.toString());
        assertEquals(1, o.mptcpHandshakes(), "gRPC's one connection, MPTCP at both ends: " + o);
        assertTrue(o.lines("mptcp4j agent:").isEmpty(), "nothing to say: " + o);
    }

    @Test
    void keepaliveClientsStayTcpWithOneLineBecauseOfTcpUserTimeout() throws Exception {
        // gRPC sets TCP_USER_TIMEOUT with keepalive: MPTCP has no such bound, so the connection stays TCP, said once
        Outcome o = FieldRun.run(FieldRun.agent(null), GrpcEcho.class.getName(), 60, FieldRun.HOST, CALLS, "keepalive");
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.output().contains("OK calls=8"), o.toString());
        assertEquals(0, o.counter("MPTcpExtMPCapableSYNRX"), o.toString());
        assertEquals(1, o.lines("mptcp4j agent: a socket stays TCP: TCP_USER_TIMEOUT=").size(), o.toString());
    }
}
