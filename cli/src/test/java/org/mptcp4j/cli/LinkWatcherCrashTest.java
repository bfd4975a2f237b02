package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;

/**
 * The link watcher killed with SIGKILL at each step of taking an endpoint off a link that went down
 * and putting it back: the operator's endpoint configuration survives, is never duplicated, and what
 * the operator deleted or flushed meanwhile does not come back. In a fresh namespace, link {@code d2}
 * a veth whose peer {@code d2p} sets its carrier.
 */
class LinkWatcherCrashTest {
    static final String ADDRESS = "198.18.51.1";
    static final String CONFIGURED = ADDRESS + " id 1 signal dev d2";

    Netns ns;
    @TempDir
    Path state;

    @BeforeEach
    void freshNamespace() throws Exception {
        org.mptcp4j.Requirements.root();
        ns = Netns.create("lw");
        ns.ip("link", "add", "d2", "type", "veth", "peer", "name", "d2p");
        ns.ip("addr", "add", ADDRESS + "/24", "dev", "d2");
        ns.ip("link", "set", "d2", "up");
        ns.ip("link", "set", "d2p", "up");
        ns.ip("mptcp", "endpoint", "add", ADDRESS, "dev", "d2", "signal");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private List<String> jvm() {
        List<String> o = new ArrayList<>(ToolJvm.options());
        o.add("-Dmptcp4j.stateDir=" + state);
        return o;
    }

    private ChildJvm watcher() throws Exception {
        ChildJvm w = ChildJvm.start(ns, jvm(), Main.class, "watch");
        w.awaitLine("watching links", 30);
        return w;
    }

    private Command.Result tool(String... args) throws Exception {
        try (ChildJvm c = ChildJvm.start(ns, jvm(), Main.class, args)) {
            int exit = c.await(60);
            return new Command.Result(exit, c.output());
        }
    }

    private void carrier(boolean on) throws Exception {
        ns.ip("link", "set", "d2p", on ? "up" : "down");
    }

    /** SIGTERM, as systemd or Kubernetes stop it: the watcher puts back what it parked. */
    private static void stop(ChildJvm w) throws Exception {
        Command.run("kill", "-TERM", Long.toString(w.pid()));
        assertEquals(143, w.await(30), w.output());
    }

    private static void kill(ChildJvm w) throws Exception {
        Command.run("kill", "-KILL", Long.toString(w.pid()));
        assertTrue(w.waitFor(10_000), "killed");
    }

    private String endpoints() throws Exception {
        return ns.ip("mptcp", "endpoint", "show").strip();
    }

    /** Whether the journal holds anything (the watcher's state, in the test's own directory). */
    private boolean parkedOnDisk() throws Exception {
        try (Stream<Path> files = Files.walk(state)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("parked"));
        }
    }

    private ChildJvm watcherThatParked() throws Exception {
        ChildJvm w = watcher();
        carrier(false);
        w.awaitLine("d2 down: endpoint " + CONFIGURED + " removed", 30);
        assertEquals("", endpoints(), "taken off while d2 is down");
        return w;
    }

    @Test
    void killedWhileParkedThenLinkBackTheNextWatcherRestoresItOnce() throws Exception {
        kill(watcherThatParked());
        carrier(true);
        try (ChildJvm w = watcher()) {
            assertTrue(w.output().contains("d2 is up: endpoint " + ADDRESS + " restored (parked by an earlier watcher)"), w.output());
            assertTrue(endpoints().matches(ADDRESS + " id \\d+ signal dev d2"), endpoints());
            assertFalse(parkedOnDisk(), "struck out once back");
            stop(w);
        }
        assertEquals(1, endpoints().lines().count(), "once, not twice, after the second watcher stops: " + endpoints());
    }

    @Test
    void killedWhileParkedAndLinkStillDownTheNextWatcherWaitsForIt() throws Exception {
        kill(watcherThatParked());
        try (ChildJvm w = watcher()) {
            assertEquals("", endpoints(), "the link is still down");
            carrier(true);
            w.awaitLine("d2 up: endpoint " + ADDRESS + " restored", 30);
            assertTrue(endpoints().matches(ADDRESS + " id \\d+ signal dev d2"), endpoints());
        }
    }

    @Test
    void killedWhileParkedTheNextEndpointCommandRestoresWhatIsDue() throws Exception {
        kill(watcherThatParked());
        carrier(true);
        Command.Result r = tool("endpoint", "add", "198.18.51.9", "dev", "d2", "subflow");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("d2 is up: endpoint " + ADDRESS + " restored (parked by an earlier watcher)"), r.output());
        assertTrue(endpoints().contains(ADDRESS + " id"), endpoints());
        assertTrue(endpoints().contains("198.18.51.9 id"), endpoints());
        assertFalse(parkedOnDisk());
    }

    @Test
    void anEndpointTheOperatorAddedBackMeanwhileIsNotDuplicated() throws Exception {
        kill(watcherThatParked());
        carrier(true);
        ns.ip("mptcp", "endpoint", "add", ADDRESS, "dev", "d2", "signal");
        try (ChildJvm w = watcher()) {
            assertTrue(w.output().contains("endpoint " + ADDRESS + " is configured again: no longer parked"), w.output());
            assertEquals(1, endpoints().lines().count(), endpoints());
            assertFalse(parkedOnDisk());
        }
    }

    @Test
    void killedBetweenJournalAndKernelNothingIsDuplicated() throws Exception {
        // the state a kill leaves between writing the journal and deleting the endpoint (or between adding
        // it back and striking it out): both the journal and the kernel have it
        kill(watcherThatParked());
        ns.ip("mptcp", "endpoint", "add", ADDRESS, "dev", "d2", "signal");
        assertTrue(parkedOnDisk());
        try (ChildJvm w = watcher()) {
            assertTrue(w.output().contains("endpoint " + ADDRESS + " is configured again: no longer parked"), w.output());
            assertFalse(parkedOnDisk(), "struck out, not added a second time");
            carrier(true);
            stop(w);
        }
        assertEquals(1, endpoints().lines().count(), endpoints());
        assertFalse(parkedOnDisk());
    }

    @Test
    void endpointsFlushedWhileParkedDoNotComeBack() throws Exception {
        kill(watcherThatParked());
        assertEquals(0, tool("endpoint", "flush").exit());
        carrier(true);
        try (ChildJvm w = watcher()) {
            assertEquals("", endpoints(), "flushed means none");
            stop(w);
        }
        assertEquals("", endpoints());
    }

    @Test
    void endpointShowNamesWhatIsParked() throws Exception {
        kill(watcherThatParked());
        Command.Result r = tool("endpoint", "show");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("parked by the link watcher until its link is up: " + ADDRESS + " signal dev d2"), r.output());
    }

    @Test
    void aSecondWatcherIsRefusedWhileTheFirstRuns() throws Exception {
        try (ChildJvm first = watcher()) {
            Command.Result second = tool("watch");
            assertNotEquals(0, second.exit(), second.output());
            assertTrue(second.output().contains("another link watcher (pid " + first.pid() + ") is watching this network namespace"),
                    second.output());
            carrier(false);
            first.awaitLine("d2 down", 30); // the first one still works
            stop(first);
        }
        assertEquals(CONFIGURED, endpoints(), "the first put it back when it stopped");
    }

    @Test
    void aWatcherStartedAfterAKilledOneTakesOver() throws Exception {
        ChildJvm first = watcher();
        kill(first);
        try (ChildJvm second = watcher()) {
            carrier(false);
            second.awaitLine("d2 down", 30);
            stop(second);
        }
        assertEquals(CONFIGURED.replace("id 1", "id 2").replaceAll("id \\d+", "id"), endpoints().replaceAll("id \\d+", "id"),
                "restored when the second stopped");
    }
}
