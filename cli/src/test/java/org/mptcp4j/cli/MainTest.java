package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;

/** The command line: the demo runs clean and leaves nothing behind; bad input gives one line and a non-zero exit. */
class MainTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void root() {
        if (!Netns.canCreate()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: the demo test needs root");
            }
            assumeTrue(false, "needs root");
        }
    }

    @Test
    void demoUsesEveryInterfaceAndRemovesItsNamespaces() throws Exception {
        root();
        Run r = run("demo", "-t", "3");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("RESULT: one MPTCP connection used every interface"), r.out());
        for (String dev : new String[] {"eth0", "eth1", "eth2"}) {
            assertTrue(r.out().contains("check: " + dev + " carried"), r.out());
        }
        assertTrue(r.out().contains("(MPTCP)"), "the client reports an MPTCP connection: " + r.out());
        String namespaces = Command.run("ip", "netns", "list");
        assertFalse(namespaces.contains(Netns.PREFIX + ProcessHandle.current().pid() + "-"), "left behind: " + namespaces);
    }

    @Test
    void failoverLosesNothingAndDrawsTheChart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        root();
        java.nio.file.Path png = dir.resolve("failover.png");
        Run r = run("demo", "failover", "-t", "8", "--down", "2", "--up", "5", "--chart", png.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("SHA-256 equal: 0 bytes lost"), r.out());
        assertTrue(r.out().contains("ethernet (eth0) unplugged"), r.out());
        byte[] head = java.nio.file.Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG chart was written");
    }

    @Test
    void linkWatcherBringsTheEthernetBackWithinThreeSeconds() throws Exception {
        root();
        Run r = run("demo", "failover", "--watch", "-t", "10", "--down", "3", "--up", "6");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("SHA-256 equal: 0 bytes lost"), r.out());
        assertTrue(r.out().contains("watcher: eth0 down: endpoint 198.18.1.1"), r.out());
        String recovery = r.out().lines().filter(l -> l.startsWith("recovery:")).findFirst().orElseThrow();
        assertTrue(recovery.startsWith("recovery: back to >= 95%"), recovery);
        double seconds = Double.parseDouble(recovery.replaceAll(".* rate ([0-9.]+) s after.*", "$1"));
        assertTrue(seconds <= 3.0, "back within 3 s of link up: " + recovery);
    }

    @Test
    void failoverWithBothEndsNativeUnderMptcpizeLosesNothing() throws Exception {
        root();
        Run r = run("demo", "failover", "--peer", "mptcpize-native", "-t", "8", "--down", "2", "--up", "5");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("both ends: mptcpize run python3"), r.out());
        assertTrue(r.out().contains("SHA-256 equal: 0 bytes lost"), r.out());
        assertTrue(r.out().matches("(?s).*longest receive stall: [0-9]+ ms.*"), r.out());
    }

    @Test
    void failoverRejectsAnUnknownPeer() {
        Run r = run("demo", "failover", "--peer", "netcat");
        assertEquals(2, r.exit());
        assertEquals("mptcp4j: bad value for --peer: netcat (expected mptcp4j, mptcpize-java or mptcpize-native)", r.err().strip());
    }

    @Test
    void failoverRejectsABadTimeline() {
        Run r = run("demo", "failover", "--down", "9", "--up", "3");
        assertEquals(2, r.exit());
        assertEquals("mptcp4j: bad timeline: --down 9.0 --up 3.0 -t 20.0 (expected down < up < time)", r.err().strip());
    }

    @Test
    void badDemoOptionIsOneLineAndExitTwo() {
        Run r = run("demo", "--paths", "99");
        assertEquals(2, r.exit());
        assertEquals("mptcp4j: bad value for --paths: 99 (expected 1-8)", r.err().strip());
    }

    @Test
    void unknownCommandIsOneLineAndExitTwo() {
        Run r = run("frobnicate");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }

    @Test
    void perfToUnknownHostIsOneLineAndExitOne() {
        Run r = run("perf", "-c", "no-such-host.invalid", "-t", "1");
        assertEquals(1, r.exit());
        assertEquals("mptcp4j: unknown host: no-such-host.invalid", r.err().strip());
    }

    @Test
    void perfServerOnPortInUseIsOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Run r = run("perf", "-s", "-p", Integer.toString(taken.getLocalPort()), "--tcp");
            assertEquals(1, r.exit());
            assertTrue(r.err().strip().startsWith("mptcp4j: ") && r.err().contains("in use"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void attachRespectsTheJvmsOwnAttachSwitch() throws Exception {
        try (ChildJvm target = ChildJvm.start(null, List.of("-XX:+DisableAttachMechanism"), PlainEnds.class, "sink", "0")) {
            target.awaitLine("READY", 30);
            Run r = run("attach", Long.toString(target.pid()));
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.err().startsWith("mptcp4j: cannot attach to " + target.pid()), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void statusOfALibraryJvmPrintsItsCountersAndSaysWhatItLeaves() throws Exception {
        try (ChildJvm target = ChildJvm.start(null, ToolJvm.options(), Main.class, "cat", "-l", "-k", "0")) {
            target.awaitLine("listening", 30); // one MPTCP listener; the MBean registers once status has made the MBean server
            String pid = Long.toString(target.pid());
            Run r = run("status", pid);
            assertTrue(r.out().contains("note: started that JVM's local JMX management agent"), "says what it leaves: " + r.out());
            assertEquals(0, r.exit(), "the first status waits for the registration it caused: " + r.out() + r.err());
            assertTrue(r.out().contains(pid + ": converted=1 "), r.out());
            assertTrue(r.out().contains("policy=library"), r.out());
            assertTrue(!run("status", pid).out().contains("note:"), "the agent it started was there already");
        }
    }

    @Test
    void badPortIsNamed() {
        Run r = run("perf", "-s", "-p", "http");
        assertEquals(2, r.exit());
        assertEquals("mptcp4j: bad port: http (expected 0-65535)", r.err().strip());
    }

    @Test
    void everyCommandHasHelpThatExitsZero() {
        for (Main.Command c : Main.COMMANDS) {
            String[] argv = (c.name() + " --help").split(" ");
            Run r = run(argv);
            assertEquals(0, r.exit(), c.name() + ": " + r.err());
            assertTrue(r.out().startsWith("usage: mptcp4j " + c.name().split(" ")[0]), c.name() + ": " + r.out());
        }
    }

    @Test
    void theUsageTextListsEveryCommandAndEveryPerfOption() {
        Run r = run("help");
        assertEquals(0, r.exit());
        for (Main.Command c : Main.COMMANDS) {
            assertTrue(r.out().contains("  " + c.name()), c.name() + " in: " + r.out());
        }
        for (String option : List.of("-P N", "-R", "-O SEC", "-J")) {
            assertTrue(r.out().contains(option), "perf's " + option + " in the usage");
        }
    }

    @Test
    void versionIsOneLine() {
        Run r = run("--version");
        assertEquals(0, r.exit());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith("mptcp4j "), r.out());
    }

    @Test
    void anUnknownCommandNamesTheCommandsThatExist() {
        Run r = run("demoo");
        assertEquals(2, r.exit());
        assertEquals("mptcp4j: unknown command: demoo (expected one of demo, perf, cat, proxy, ifstat, limits, endpoint, monitor, "
                + "watch, status, run, prepare, attach, help; mptcp4j help lists them)", r.err().strip());
    }
}
