package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;

/**
 * {@code perf} speaks iperf3's protocol: against real {@code iperf3} (Debian's 3.12, under
 * {@code mptcpize run}) in both directions, with reverse mode and parallel streams. Each case runs
 * in a fresh namespace whose MIB counters show both ends used MPTCP.
 */
class PerfInteropTest {
    static final String HOST = "198.18.0.1";
    Netns ns;

    @BeforeEach
    void freshNamespace() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean tools = Command.tryRun(10, "sh", "-c", "command -v iperf3 && command -v mptcpize").exit() == 0;
        if (!Netns.canCreate() || !tools) {
            if (ci) {
                fail("CI=true: needs root, iperf3 and mptcpize");
            }
            assumeTrue(false, "needs root, iperf3 and mptcpize");
        }
        ns = Netns.create("perf").withLocalAddress(HOST + "/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @ParameterizedTest(name = "perf -c {0} against mptcpize iperf3 -s")
    @ValueSource(strings = {"", "-R", "-P 2"})
    void perfClientDrivesRealIperf3Server(String extra) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", ns.name(), "mptcpize", "run", "iperf3", "-s", "-1", "-p", "5401")
                .redirectErrorStream(true).start();
        try {
            waitForListener(5401);
            List<String> argv = new java.util.ArrayList<>(List.of("perf", "-c", HOST, "-p", "5401", "-t", "2"));
            if (!extra.isEmpty()) {
                argv.addAll(List.of(extra.split(" ")));
            }
            try (ChildJvm client = ChildJvm.start(ns, ToolJvm.options(), Main.class, argv.toArray(new String[0]))) {
                assertEquals(0, client.await(60), client.output());
                String receiver = client.awaitLine("receiver", 1);
                assertTrue(!receiver.contains(" 0.00 Bytes") && receiver.contains("bits/sec"), client.output());
            }
            assertTrue(server.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "iperf3 -s -1 finished its one test");
            assertEquals(0, server.exitValue(), new String(server.getInputStream().readAllBytes()));
        } finally {
            server.destroyForcibly();
        }
        assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") >= 2, "control and data connections were MPTCP");
    }

    @ParameterizedTest(name = "mptcpize iperf3 -c {0} against perf -s")
    @ValueSource(strings = {"", "-R", "-P 2"})
    void realIperf3ClientDrivesPerfServer(String extra) throws Exception {
        try (ChildJvm server = ChildJvm.start(ns, ToolJvm.options(), Main.class, "perf", "-s", "-p", "5402", "-1")) {
            server.awaitLine("Server listening", 30);
            List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "mptcpize", "run",
                    "iperf3", "-c", HOST, "-p", "5402", "-t", "2"));
            if (!extra.isEmpty()) {
                argv.addAll(List.of(extra.split(" ")));
            }
            String out = Command.run(60, argv.toArray(new String[0]));
            assertTrue(out.contains("iperf Done."), out);
            assertTrue(out.contains("receiver"), out);
            assertEquals(0, server.await(30), server.output());
            assertTrue(server.output().contains(extra.equals("-R") ? "sender" : "receiver"), server.output());
        }
        assertTrue(ns.counter("MPTcpExtMPCapableSYNRX") >= 2, "control and data connections were MPTCP");
    }

    @org.junit.jupiter.api.Test
    void ifstatShowsWhichSubflowCarriesTheTraffic() throws Exception {
        try (ChildJvm server = ChildJvm.start(ns, ToolJvm.options(), Main.class, "perf", "-s", "-p", "5403", "-1")) {
            server.awaitLine("Server listening", 30);
            try (ChildJvm ifstat = ChildJvm.start(ns, ToolJvm.options(), Main.class, "ifstat", "-t", "0.5", "-n", "8", "--subflows");
                 ChildJvm client = ChildJvm.start(ns, ToolJvm.options(), Main.class, "perf", "-c", HOST, "-p", "5403", "-t", "3")) {
                assertEquals(0, client.await(60), client.output());
                assertEquals(0, ifstat.await(30), ifstat.output());
                assertTrue(ifstat.output().contains("n.i.in.bytes"), ifstat.output());
                boolean carried = ifstat.output().lines().filter(l -> l.contains("token=") && l.contains(":5403"))
                        .anyMatch(l -> Double.parseDouble(l.replaceAll(".* sent +([0-9.]+) B/s.*", "$1")) > 1_000_000);
                assertTrue(carried, "a subflow of the test connection carried more than 1 MB/s:\n" + ifstat.output());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void ifstatJsonGivesOneSampleObjectPerInterval() throws Exception {
        try (ChildJvm server = ChildJvm.start(ns, ToolJvm.options(), Main.class, "perf", "-s", "-p", "5404", "-1")) {
            server.awaitLine("Server listening", 30);
            try (ChildJvm ifstat = ChildJvm.start(ns, ToolJvm.options(), Main.class, "ifstat", "-t", "0.5", "-n", "8", "--subflows", "-j");
                 ChildJvm client = ChildJvm.start(ns, ToolJvm.options(), Main.class, "perf", "-c", HOST, "-p", "5404", "-t", "3")) {
                assertEquals(0, client.await(60), client.output());
                assertEquals(0, ifstat.await(30), ifstat.output());
                List<com.google.gson.JsonObject> samples = ifstat.output().lines().filter(l -> l.startsWith("{"))
                        .map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject()).toList();
                assertEquals(8, samples.size(), ifstat.output());
                assertTrue(samples.get(0).getAsJsonObject("in_bytes_per_second").has("v0"), ifstat.output());
                boolean carried = samples.stream().flatMap(o -> o.getAsJsonArray("subflows").asList().stream())
                        .map(e -> e.getAsJsonObject()).anyMatch(sf -> sf.get("remote").getAsString().endsWith(":5404")
                                && sf.get("sent_bytes_per_second").getAsLong() > 1_000_000);
                assertTrue(carried, "a subflow of the test connection carried more than 1 MB/s:\n" + ifstat.output());
            }
        }
    }

    private void waitForListener(int port) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ns.exec("ss", "-Hltn", "sport = :" + port).contains(":" + port)) {
                return;
            }
            Thread.sleep(20); // polling interval
        }
        fail("iperf3 did not listen on " + port);
    }
}
