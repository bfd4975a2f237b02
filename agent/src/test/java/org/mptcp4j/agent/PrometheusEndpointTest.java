package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.Requirements;
import org.mptcp4j.agent.programs.Holder;
import org.mptcp4j.programs.BlockingEcho;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/**
 * The agent's opt-in Prometheus endpoint, scraped from inside the server's namespace while an
 * unmodified server holds multipath connections, and read against the kernel's counters there.
 */
class PrometheusEndpointTest {
    static final int PORT = 9464;
    static final int CLIENTS = 3;
    static final int BYTES = 256 * 1024;

    Testbed bed;

    @BeforeEach
    void freshNamespaces() throws Exception {
        Requirements.root();
        assertTrue(Files.isRegularFile(AgentTest.JAR), "agent jar built: " + AgentTest.JAR);
        bed = Testbed.builder().label("prom").paths(2).mptcpEndpoints(true).build();
    }

    @AfterEach
    void remove() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void scrapeCountsConnectionsSubflowsAndBytesAsTheKernelDoes() throws Exception {
        String server = Testbed.serverAddress(0);
        try (ChildJvm s = ChildJvm.start(bed.server(), AgentTest.agent("prometheus=" + PORT), Holder.class, "serve", "7000")) {
            s.awaitLine("READY", 30);
            ChildJvm c = ChildJvm.start(bed.client(), AgentTest.agent(null), Holder.class, "connect", server, "7000",
                    Integer.toString(CLIENTS), Integer.toString(BYTES));
            try (c) {
                scrapeWhileConnected(s, c, server);
            }
        }
    }

    private void scrapeWhileConnected(ChildJvm s, ChildJvm c, String server) throws Exception {
        {
            c.awaitLine("CONNECTED", 30);
            // the second subflow of each connection: the server's signal endpoint, joined by the client
            bed.server().awaitCounter("MPTcpExtMPJoinAckRx", CLIENTS, 20);
            try (ChildJvm plain = ChildJvm.start(bed.client(), List.of(), Holder.class, "connect", server, "7000", "1", "1")) {
                plain.awaitLine("CONNECTED", 30);
                c.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
                c.stdin().flush();
                c.awaitLine("SENT", 30);
                Map<String, Double> m = awaitScrape(bed.server(), "mptcp4j_subflow_received_bytes", CLIENTS * (long) BYTES);

                assertEquals(CLIENTS, bed.server().counter("MPTcpExtMPCapableSYNRX"), "the kernel: MPTCP SYNs at the listener");
                assertEquals(CLIENTS, m.get("mptcp4j_connections_total{outcome=\"mptcp\",reason=\"none\"}"), "negotiated, as the kernel counted");
                assertEquals(1, m.get("mptcp4j_connections_total{outcome=\"fallback\",reason=\"plain_client\"}"), "the plain client");
                assertEquals(CLIENTS, m.get("mptcp4j_connections_active"), "open MPTCP connections");
                assertEquals(2 * CLIENTS, m.get("mptcp4j_subflows_active"), "initial subflow plus one join each");
                assertEquals(1, m.get("mptcp4j_sockets_total{decision=\"converted\"}"), "the application's listener only, not the endpoint's");
                assertEquals(0, m.get("mptcp4j_sockets_total{decision=\"kept_tcp\"}"), "the endpoint's own listener is not a decision");
                assertEquals(1, m.get("mptcp4j_available{availability=\"supported\"}"));
                assertTrue(m.containsKey("mptcp4j_interface_received_bytes{interface=\"eth0\"}"), m.toString());
                assertTrue(m.containsKey("mptcp4j_interface_received_bytes{interface=\"eth1\"}"), "both links carry subflows: " + m);
                long onWire = rxBytesThroughMptcp(m);
                assertTrue(onWire >= CLIENTS * (long) BYTES, "every payload byte was received on some subflow: " + onWire);
            }
            String listening = bed.server().exec("ss", "-Hltn", "sport", "=", ":" + PORT);
            // the JDK's dual-stack socket shows 127.0.0.1 as [::ffff:127.0.0.1]: loopback either way
            assertTrue(listening.matches("(?s).*(\\s|\\[::ffff:)127\\.0\\.0\\.1\\]?:" + PORT + "\\s.*"), "loopback unless told otherwise: " + listening);
            assertFalse(listening.contains("0.0.0.0:" + PORT) || listening.contains("*:" + PORT), listening);
            c.stdin().close();
            s.stdin().close();
            assertEquals(0, c.await(30), c.output());
            assertEquals(0, s.await(30), "the endpoint does not keep the JVM alive: " + s.output());
        }
    }

    @Test
    void theEnvironmentVariableAloneStartsItWithTheJvm() throws Exception {
        // a program that opens no socket: the endpoint answering is the agent's start reading MPTCP4J_PROMETHEUS
        try (ChildJvm s = ChildJvm.start(bed.server(), List.of("env", "MPTCP4J_PROMETHEUS=" + PORT), AgentTest.agent(null),
                Holder.class, "idle")) {
            s.awaitLine("READY", 30);
            Map<String, Double> m = scrape(bed.server());
            assertEquals(1, m.get("mptcp4j_available{availability=\"supported\"}"), m.toString());
            assertEquals(0, m.get("mptcp4j_sockets_total{decision=\"converted\"}"), "no socket of the program's: " + m);
            s.stdin().close();
            assertEquals(0, s.await(30), s.output());
        }
    }

    @Test
    void withoutTheSettingNothingListens() throws Exception {
        try (ChildJvm s = ChildJvm.start(bed.server(), AgentTest.agent(null), Holder.class, "serve", "7001")) {
            s.awaitLine("READY", 30);
            String listening = bed.server().exec("ss", "-Hltn");
            assertFalse(listening.contains(":" + PORT), listening);
            s.stdin().close();
            assertEquals(0, s.await(30), s.output());
        }
    }

    @Test
    void aBadValueIsOneLineAndTheApplicationRuns() throws Exception {
        try (ChildJvm child = ChildJvm.start(bed.server(), AgentTest.agent("prometheus=localhost:http"), BlockingEcho.class,
                Testbed.serverAddress(0))) {
            assertEquals(0, child.await(60), child.output());
            String out = child.output();
            assertTrue(out.contains("bad value for agent argument prometheus: \"localhost:http\" (expected off, a port or host:port); "
                    + "no Prometheus endpoint"), out);
            assertTrue(out.contains("OK "), out);
        }
    }

    private static long rxBytesThroughMptcp(Map<String, Double> m) {
        double sum = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (e.getKey().startsWith("mptcp4j_subflow_received_bytes{")) {
                sum += e.getValue();
            }
        }
        return (long) sum;
    }

    /** Scrapes until the sum of {@code family} reaches {@code atLeast} (the bytes are in flight), bounded. */
    private static Map<String, Double> awaitScrape(Netns ns, String family, long atLeast) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Map<String, Double> m = scrape(ns);
            double sum = 0;
            for (Map.Entry<String, Double> e : m.entrySet()) {
                sum += e.getKey().startsWith(family + "{") ? e.getValue() : 0;
            }
            if (sum >= atLeast || System.nanoTime() > deadline) {
                return m;
            }
            Thread.sleep(50); // polling the endpoint
        }
    }

    /** One scrape from inside the namespace (a plain HTTP client: python3's), parsed into series and values. */
    static Map<String, Double> scrape(Netns ns) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String text;
        while (true) {
            try {
                text = ns.exec("python3", "-c", "import urllib.request,sys;"
                        + "r=urllib.request.urlopen('http://127.0.0.1:" + PORT + "/metrics');"
                        + "assert r.headers['Content-Type'].startswith('text/plain; version=0.0.4'), r.headers['Content-Type'];"
                        + "sys.stdout.write(r.read().decode())");
                break;
            } catch (java.io.IOException e) {
                assertTrue(System.nanoTime() < deadline, "endpoint did not answer: " + e.getMessage());
                Thread.sleep(50); // the endpoint starts in the background
            }
        }
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return m;
    }
}
