package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;

/**
 * The Java path manager against iproute2 as the real peer, in a fresh namespace: what one side
 * writes the other reads, events arrive in order with the right addresses, errors carry the
 * kernel's words.
 */
class PathManagerTest {
    static final String HOST = "198.18.0.1";
    Netns ns;

    @BeforeEach
    void freshNamespace() throws Exception {
        if (!Netns.canCreate()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: the path-manager tests need root");
            }
            assumeTrue(false, "needs root");
        }
        ns = Netns.create("pm").withLocalAddress(HOST + "/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    /** Runs {@code mptcp4j ARGS} in the namespace; returns exit code and output. */
    private Command.Result tool(String... args) throws Exception {
        try (ChildJvm c = ChildJvm.start(ns, ToolJvm.options(), Main.class, args)) {
            int exit = c.await(60);
            return new Command.Result(exit, c.output());
        }
    }

    @Test
    void limitsSetFromJavaAreWhatIpReads() throws Exception {
        assertEquals(0, tool("limits", "set", "subflow", "3", "add_addr_accepted", "2").exit());
        assertEquals("add_addr_accepted 2 subflows 3", ns.ip("mptcp", "limits", "show").strip());
    }

    @Test
    void limitsSetByIpAreWhatJavaReads() throws Exception {
        ns.ip("mptcp", "limits", "set", "subflow", "4", "add_addr_accepted", "1");
        assertEquals("add_addr_accepted 1 subflows 4", tool("limits").output().strip());
    }

    @Test
    void endpointsAddedFromJavaAreWhatIpShows() throws Exception {
        assertEquals(0, tool("endpoint", "add", HOST, "dev", "v0", "id", "7", "signal").exit());
        assertEquals(0, tool("endpoint", "add", "198.18.0.9", "dev", "v0", "subflow", "backup").exit());
        Set<String> ip = lines(ns.ip("mptcp", "endpoint", "show"));
        assertEquals(Set.of("198.18.0.1 id 7 signal dev v0", "198.18.0.9 id 8 subflow backup dev v0"), ip);
    }

    @Test
    void endpointsAddedByIpAreWhatJavaShows() throws Exception {
        ns.ip("mptcp", "endpoint", "add", HOST, "id", "9", "port", "5555", "signal");
        ns.ip("mptcp", "endpoint", "add", "198.18.0.9", "dev", "v0", "subflow", "fullmesh");
        assertEquals(lines(ns.ip("mptcp", "endpoint", "show")), lines(tool("endpoint", "show").output()));
    }

    @Test
    void endpointJsonIsWhatIpJsonShows() throws Exception {
        ns.ip("mptcp", "endpoint", "add", HOST, "id", "9", "port", "5555", "signal");
        ns.ip("mptcp", "endpoint", "add", "198.18.0.9", "dev", "v0", "subflow", "backup", "fullmesh");
        assertEquals(com.google.gson.JsonParser.parseString(ns.ip("-j", "mptcp", "endpoint", "show")),
                com.google.gson.JsonParser.parseString(tool("endpoint", "show", "-j").output()));
    }

    @Test
    void limitsJsonCarriesWhatIpSays() throws Exception {
        ns.ip("mptcp", "limits", "set", "subflow", "4", "add_addr_accepted", "1");
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(tool("limits", "-j").output()).getAsJsonObject();
        assertEquals(4, o.get("subflows").getAsInt());
        assertEquals(1, o.get("add_addr_accepted").getAsInt());
    }

    @Test
    void deleteAndFlushRemoveEndpoints() throws Exception {
        ns.ip("mptcp", "endpoint", "add", HOST, "id", "3", "signal");
        ns.ip("mptcp", "endpoint", "add", "198.18.0.9", "id", "4", "signal");
        assertEquals(0, tool("endpoint", "delete", "id", "3").exit());
        assertEquals(Set.of("198.18.0.9 id 4 signal"), lines(ns.ip("mptcp", "endpoint", "show")));
        assertEquals(0, tool("endpoint", "flush").exit());
        assertEquals(Set.of(), lines(ns.ip("mptcp", "endpoint", "show")));
    }

    @Test
    void duplicateEndpointIsRefusedWithTheKernelsWords() throws Exception {
        ns.ip("mptcp", "endpoint", "add", HOST, "signal");
        Command.Result r = tool("endpoint", "add", HOST, "signal");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().strip().startsWith("mptcp4j: add endpoint 198.18.0.1 failed: EEXIST"), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Command.Result bad = tool("endpoint", "add", "not-an-address");
        assertEquals(2, bad.exit());
        assertEquals("mptcp4j: bad endpoint address: not-an-address (expected an IPv4 or IPv6 address)", bad.output().strip());
        Command.Result limit = tool("limits", "set", "subflow", "99");
        assertEquals(2, limit.exit());
        assertEquals("mptcp4j: bad value for subflow: 99 (expected 0-8)", limit.output().strip());
    }

    @Test
    void withoutNetAdminTheErrorSaysSo() throws Exception {
        assumeTrue(Command.tryRun(5, "sh", "-c", "command -v setpriv").exit() == 0, "needs setpriv (util-linux)");
        List<String> argv = new ArrayList<>(ns.execPrefix());
        argv.addAll(List.of("setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", ChildJvm.javaBinary()));
        argv.addAll(ToolJvm.options());
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "endpoint", "add", HOST, "signal"));
        Command.Result r = Command.tryRun(60, argv.toArray(new String[0]));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("EPERM") && r.output().contains("needs CAP_NET_ADMIN"), r.output());
    }

    @Test
    void eventsOfARealConnectionArriveInOrderWithItsAddresses() throws Exception {
        try (ChildJvm monitor = ChildJvm.start(ns, ToolJvm.options(), Main.class, "monitor", "-n", "8");
             ChildJvm server = startWhenMonitoring(monitor)) {
            server.awaitLine("listening", 30);
            try (ChildJvm client = ChildJvm.start(ns, ToolJvm.options(), Main.class, "cat", HOST, "5600")) {
                client.stdin().write("hello\n".getBytes());
                client.stdin().close();
                assertEquals(0, client.await(30), client.output());
            }
            assertEquals(0, server.await(30), server.output()); // cat -l without -k: its listener closes too
            assertEquals(0, monitor.await(30), monitor.output());
            Map<String, List<String>> byToken = new HashMap<>();
            for (String line : monitor.output().lines().filter(l -> l.contains("token=")).collect(Collectors.toList())) {
                String token = line.replaceAll(".*token=([0-9a-f]+).*", "$1");
                byToken.computeIfAbsent(token, k -> new ArrayList<>()).add(line);
            }
            assertEquals(2, byToken.size(), "one connection seen from both ends:\n" + monitor.output());
            for (List<String> events : byToken.values()) {
                assertTrue(events.get(0).contains("CREATED") && events.get(1).contains("ESTABLISHED") && events.get(2).contains("CLOSED"),
                        "CREATED, ESTABLISHED, CLOSED in order: " + events);
                assertTrue(events.get(0).contains("saddr4=198.18.0.1 daddr4=198.18.0.1"), events.get(0));
                assertTrue(events.get(0).contains("sport=5600") || events.get(0).contains("dport=5600"), events.get(0));
            }
        }
    }

    @Test
    void monitorJsonGivesOneObjectPerEvent() throws Exception {
        try (ChildJvm monitor = ChildJvm.start(ns, ToolJvm.options(), Main.class, "monitor", "-j", "-n", "8");
             ChildJvm server = startWhenMonitoring(monitor)) {
            server.awaitLine("listening", 30);
            try (ChildJvm client = ChildJvm.start(ns, ToolJvm.options(), Main.class, "cat", HOST, "5600")) {
                client.stdin().close();
                assertEquals(0, client.await(30), client.output());
            }
            assertEquals(0, server.await(30), server.output());
            assertEquals(0, monitor.await(30), monitor.output());
            List<com.google.gson.JsonObject> events = monitor.output().lines().filter(l -> l.startsWith("{"))
                    .map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject()).collect(Collectors.toList());
            assertEquals(8, events.size(), monitor.output());
            Map<String, List<String>> byToken = new HashMap<>();
            for (com.google.gson.JsonObject e : events) {
                if (!e.has("token")) {
                    continue; // a listener's event
                }
                byToken.computeIfAbsent(e.get("token").getAsString(), k -> new ArrayList<>()).add(e.get("type").getAsString());
            }
            assertEquals(2, byToken.size(), "one connection seen from both ends: " + byToken);
            for (List<String> types : byToken.values()) {
                assertEquals(List.of("created", "established", "closed"), types.subList(0, 3), types.toString());
            }
        }
    }

    @Test
    void userspacePathManagerOpensASubflowFromJava() throws Exception {
        try (org.mptcp4j.testbed.Testbed bed = org.mptcp4j.testbed.Testbed.builder().label("us").paths(2).mptcpEndpoints(false).build()) {
            bed.client().sysctl("net.mptcp.pm_type", "1"); // userspace path manager on the client
            bed.server().ip("mptcp", "limits", "set", "subflow", "2", "add_addr_accepted", "2");
            try (ChildJvm server = ChildJvm.start(bed.server(), ToolJvm.options(), Main.class, "cat", "-l", "5800");
                 ChildJvm client = startAfter(server, bed)) {
                assertEquals(0, client.await(60), client.output());
                assertTrue(client.output().contains("SUBFLOWS 2"), client.output());
                assertTrue(client.output().contains("SUBFLOW /198.18.2.1:"), client.output());
            }
            assertTrue(bed.client().counter("MPTcpExtMPJoinSynAckRx") >= 1, "the kernel joined the subflow Java asked for");
        }
    }

    private static ChildJvm startAfter(ChildJvm server, org.mptcp4j.testbed.Testbed bed) throws Exception {
        server.awaitLine("listening", 30);
        return ChildJvm.start(bed.client(), ToolJvm.options(), UserspacePmProbe.class,
                org.mptcp4j.testbed.Testbed.serverAddress(0), "5800", org.mptcp4j.testbed.Testbed.clientAddress(1),
                org.mptcp4j.testbed.Testbed.serverAddress(1));
    }

    /** The listener must be created after the monitor subscribed, or its LISTENER_CREATED event is missed. */
    private ChildJvm startWhenMonitoring(ChildJvm monitor) throws Exception {
        monitor.awaitLine("monitoring", 30);
        return ChildJvm.start(ns, ToolJvm.options(), Main.class, "cat", "-l", "5600");
    }

    private static Set<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toSet());
    }
}
