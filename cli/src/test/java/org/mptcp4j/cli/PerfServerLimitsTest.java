package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;

/**
 * {@code perf -s} against clients that misbehave: garbage instead of the protocol, a client that stalls
 * after its cookie while another waits, a real iperf3 killed in the middle of its test, a real iperf3
 * that stops reading in reverse mode. Each time the server says why in one line and the next client
 * (a real iperf3) gets its test.
 */
class PerfServerLimitsTest {
    static final String HOST = "198.18.0.1";
    Netns ns;

    @BeforeEach
    void freshNamespace() throws Exception {
        org.mptcp4j.Requirements.root();
        org.mptcp4j.Requirements.require(Command.onPath("iperf3"), "needs iperf3");
        ns = Netns.create("perfl").withLocalAddress(HOST + "/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private ChildJvm server(String... extra) throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of("perf", "-s", "-p", "5410"));
        a.addAll(List.of(extra));
        ChildJvm s = ChildJvm.start(ns, ToolJvm.options(), Main.class, a.toArray(new String[0]));
        s.awaitLine("Server listening", 30);
        return s;
    }

    /** A real iperf3 client's test against the server; its output. */
    private String iperf3(String... extra) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "iperf3", "-c", HOST, "-p", "5410", "-t", "1"));
        argv.addAll(List.of(extra));
        String out = Command.run(60, argv.toArray(new String[0]));
        assertTrue(out.contains("iperf Done."), out);
        return out;
    }

    /** A raw client from inside the namespace (a child JVM): {@code garbage} or {@code stall}. */
    private ChildJvm raw(String how) throws Exception {
        ChildJvm c = ChildJvm.start(ns, ToolJvm.options(), RawPerfClient.class, how, HOST, "5410");
        c.awaitLine("SENT", 30);
        return c;
    }

    @Test
    void garbageIsOneLineAndTheNextClientIsServed() throws Exception {
        try (ChildJvm s = server(); ChildJvm bad = raw("garbage")) {
            s.awaitLine("test failed: iperf3 peer sent a JSON length of", 30);
            iperf3();
        }
    }

    @Test
    void aClientStallingAfterItsCookieDelaysTheNextByTheHandshakeBoundOnly() throws Exception {
        try (ChildJvm s = server(); ChildJvm stalled = raw("stall")) {
            long t0 = System.nanoTime();
            iperf3(); // waits in the listen queue behind the stalled one
            double waited = (System.nanoTime() - t0) / 1e9;
            assertTrue(s.output().contains("test failed: the client sent no cookie and parameters within 10 s"), s.output());
            assertTrue(waited < 10 + 10, "served after the stalled client's 10 s, in " + waited + " s");
        }
    }

    @Test
    void anIperf3KilledMidTestEndsThatTestAndTheNextIsServed() throws Exception {
        try (ChildJvm s = server()) {
            Process victim = new ProcessBuilder("ip", "netns", "exec", ns.name(), "iperf3", "-c", HOST, "-p", "5410", "-t", "30")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            s.awaitLine("[ ID] Interval", 30); // the test runs
            victim.destroyForcibly();
            victim.waitFor();
            s.awaitLine("test failed: the test ended without the client", 30);
            iperf3();
        }
    }

    @Test
    void aReverseClientThatStopsReadingIsEndedByTheReceiveTimeout() throws Exception {
        try (ChildJvm s = server("--rcv-timeout", "1000")) {
            Process reader = new ProcessBuilder("ip", "netns", "exec", ns.name(), "iperf3", "-c", HOST, "-p", "5410", "-t", "60", "-R")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                s.awaitLine("[ ID] Interval", 30);
                Command.run("kill", "-STOP", Long.toString(reader.pid())); // reads nothing more, keeps its sockets
                s.awaitLine("no data moved for 1000 ms (--rcv-timeout)", 30);
            } finally {
                reader.destroyForcibly();
                Command.tryRun(5, "kill", "-CONT", Long.toString(reader.pid()));
                reader.waitFor();
            }
            iperf3();
        }
    }

    /** The raw clients, in the namespace. */
    public static final class RawPerfClient {
        public static void main(String[] args) throws Exception {
            try (Socket s = new Socket(args[1], Integer.parseInt(args[2])); OutputStream out = s.getOutputStream()) {
                if (args[0].equals("garbage")) {
                    out.write(new byte[37]); // a cookie of zeros
                    s.getInputStream().read(); // PARAM_EXCHANGE
                    out.write(new byte[] {(byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // a 2 GiB JSON length
                } else {
                    out.write("stalledstalledstalledstalledstalled1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                out.flush();
                System.out.println("SENT");
                System.in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }
}
