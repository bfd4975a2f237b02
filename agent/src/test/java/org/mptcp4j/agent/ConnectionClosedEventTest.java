package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcp4j.Requirements;
import org.mptcp4j.agent.programs.Holder;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Testbed;

/**
 * The JFR event {@code org.mptcp4j.ConnectionClosed} of an unmodified server under the agent, on two
 * links: one per MPTCP connection it closes, with the subflows the kernel had joined and the bytes.
 */
class ConnectionClosedEventTest {
    static final int CLIENTS = 3;
    static final int BYTES = 100_000;

    Testbed bed;

    @BeforeEach
    void freshNamespaces() throws Exception {
        Requirements.root();
        bed = Testbed.builder().label("jfrc").paths(2).mptcpEndpoints(true).build();
    }

    @AfterEach
    void remove() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void eachClosedConnectionRecordsItsSubflowsAndBytes(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("server.jfr");
        String server = Testbed.serverAddress(0);
        try (ChildJvm s = ChildJvm.start(bed.server(), AgentTest.agent(null, "-XX:StartFlightRecording=filename=" + jfr
                + ",dumponexit=true"), Holder.class, "serve", "7200")) {
            s.awaitLine("READY", 30);
            try (ChildJvm c = ChildJvm.start(bed.client(), AgentTest.agent(null), Holder.class, "connect", server, "7200",
                    Integer.toString(CLIENTS), Integer.toString(BYTES))) {
                c.awaitLine("CONNECTED", 30);
                bed.server().awaitCounter("MPTcpExtMPJoinAckRx", CLIENTS, 20);
                c.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
                c.stdin().flush();
                c.awaitLine("SENT", 30);
                c.stdin().close();
                assertEquals(0, c.await(30), c.output());
            }
            s.stdin().close();
            assertEquals(0, s.await(30), s.output());
        }
        List<RecordedEvent> closed = new ArrayList<>();
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (e.getEventType().getName().equals("org.mptcp4j.ConnectionClosed")) {
                    closed.add(e);
                }
            }
        }
        assertEquals(CLIENTS, closed.size(), "one event per accepted MPTCP connection: " + closed);
        for (RecordedEvent e : closed) {
            assertEquals("MPTCP", e.getString("outcome"), e.toString());
            assertEquals(2, e.getInt("subflows"), "the initial subflow and the join the kernel counted: " + e);
            assertEquals(BYTES, e.getLong("bytesReceived"), e.toString());
            assertTrue(e.getString("remote").startsWith(Testbed.clientAddress(0) + ":"), e.toString());
            assertTrue(e.getString("token").matches("[0-9a-f]+"), e.toString());
        }
    }
}
