package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;

/** {@code cat -l -k}: a connection that says nothing is closed after the idle bound, and the next sender is heard. */
class CatLimitsTest {
    static final String HOST = "198.18.0.1";
    Netns ns;

    @BeforeEach
    void freshNamespace() throws Exception {
        org.mptcp4j.Requirements.root();
        ns = Netns.create("catl").withLocalAddress(HOST + "/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleBoundAndTheNextSenderIsHeard() throws Exception {
        try (ChildJvm sink = ChildJvm.start(ns, ToolJvm.options(), Main.class, "cat", "-l", "-k", "-i", "1", "5500")) {
            sink.awaitLine("listening", 30);
            try (ChildJvm idler = ChildJvm.start(ns, ToolJvm.options(), Hostile.class, "idlers", HOST, "5500", "1", "1")) {
                assertEquals("OPEN 1 CLOSED 1", idler.awaitLine("OPEN", 30));
            }
            sink.awaitLine("closed after 1 s without data (-i); 0 bytes received", 30);
            try (ChildJvm sender = ChildJvm.start(ns, ToolJvm.options(), Main.class, "cat", HOST, "5500")) {
                sender.awaitLine("connected", 30);
                sender.stdin().write("hello from the next sender\n".getBytes(StandardCharsets.UTF_8));
                sender.stdin().close();
                assertEquals(0, sender.await(30), sender.output());
            }
            sink.awaitLine("hello from the next sender", 30);
            sink.awaitLine("27 bytes received", 30);
        }
    }
}
