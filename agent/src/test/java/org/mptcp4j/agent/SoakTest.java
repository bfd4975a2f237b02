package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mptcp4j.Requirements;
import org.mptcp4j.agent.programs.SoakClient;
import org.mptcp4j.agent.programs.SoakServer;
import org.mptcp4j.agent.programs.Watch;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/**
 * The soak: an unmodified HTTP service and its clients under the agent on two shaped links, short
 * requests (a connection each) and long checked streams, the second link flapping every few seconds
 * and the first one dark (every packet dropped) in the middle. The same run without the agent, plain
 * TCP, is the baseline, run at the same time in namespaces of its own. {@code -Dmptcp4j.soak.seconds} sets the length (60 in CI; 600 on demand:
 * benchmarks/soak.sh); the first and last windows (10 s, or 60 s from 600 s on) are compared for the
 * service's fds, threads and heap after a full GC.
 */
class SoakTest {
    static final int SECONDS = Integer.getInteger("mptcp4j.soak.seconds", 60);
    static final int WINDOW = SECONDS >= 600 ? 60 : 10;
    static final int DARK = SECONDS >= 600 ? 30 : 10;
    static final int DARK_AT = SECONDS / 2 - DARK / 2;
    static final int FLAP_EVERY = 6;
    static final int FLAP_DOWN = 2;
    static final long STREAM_BYTES = 8L << 20;
    static final int SHORT_WORKERS = 4;

    record Run(Map<String, Long> result, List<long[]> failures, List<String> kinds, double[] first, double[] last, String output) {
        /** Requests that had their connection and still failed. */
        long inFlightFailed() {
            return result.get("short_failed") + result.get("long_failed") + result.get("long_corrupt");
        }
    }

    @Test
    void anHttpServiceUnderTheAgentLosesNothingThroughFlapsAndADarkPath() throws Exception {
        Requirements.root();
        // the baseline runs beside the agent's run, in namespaces of its own: the two share nothing but the clock
        ExecutorService beside = Executors.newSingleThreadExecutor();
        Future<Run> baseline = beside.submit(() -> run(false));
        beside.shutdown();
        Run mptcp;
        try {
            mptcp = run(true);
        } catch (Exception | Error e) {
            try {
                awaitBaseline(baseline); // its namespaces are gone before the test ends
            } catch (Exception other) {
                e.addSuppressed(other);
            }
            throw e;
        }
        Run tcp = awaitBaseline(baseline);
        String table = String.format(java.util.Locale.ROOT,
                "FIGURE soak %d s (dark %d s at %d s, link 2 down %d s every %d s)%n"
                        + "  plain TCP : %s%n  agent     : %s%n"
                        + "  service under the agent, first vs last %d s: fds %.0f -> %.0f, threads %.0f -> %.0f, heap after GC %.1f -> %.1f MiB",
                SECONDS, DARK, DARK_AT, FLAP_DOWN, FLAP_EVERY, tcp.result(), mptcp.result(), WINDOW,
                mptcp.first()[0], mptcp.last()[0], mptcp.first()[1], mptcp.last()[1], mptcp.first()[2], mptcp.last()[2]);
        System.out.println(table);

        assertEquals(0, mptcp.result().get("long_corrupt"), "no byte of a long stream differs\n" + table);
        assertEquals(0, mptcp.result().get("long_failed"), "every long stream survives the flaps and the dark path\n" + mptcp.output());
        for (int i = 0; i < mptcp.failures().size(); i++) {
            long at = mptcp.failures().get(i)[0];
            // a request started on the first path just before it went dark may have had no second subflow yet
            boolean inDark = at >= (DARK_AT - 4) * 1000L && at <= (DARK_AT + DARK + 1) * 1000L;
            assertTrue(inDark, "failures only while the first path (where connections start) is dark: " + mptcp.kinds().get(i)
                    + " at " + at + " ms\n" + table);
        }
        // what fails in both runs: requests in flight on the first path when it went dark, their connection still on that path
        // alone (no second subflow yet, or plain TCP); at most one per short worker, however the two runs' counts fall
        assertTrue(mptcp.inFlightFailed() <= Math.max(tcp.inFlightFailed(), SHORT_WORKERS),
                "no request that had its connection fails beyond those in flight when the path went dark\n" + table);
        assertTrue(mptcp.last()[0] <= mptcp.first()[0] * 1.1 + 4, "fds flat\n" + table);
        assertTrue(mptcp.last()[1] <= mptcp.first()[1] * 1.1 + 4, "threads flat\n" + table);
        assertTrue(mptcp.last()[2] <= mptcp.first()[2] * 1.25 + 8, "heap after GC flat\n" + table);
    }

    private static Run awaitBaseline(Future<Run> baseline) throws Exception {
        try {
            return baseline.get(SECONDS + 300L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private Run run(boolean agent) throws Exception {
        try (Testbed bed = Testbed.builder().label(agent ? "soakm" : "soakt").paths(2).rateMbit(50).mptcpEndpoints(true).build();
             ChildJvm sw = ChildJvm.start(bed.server(), List.of(), Watch.class);
             ChildJvm cw = ChildJvm.start(bed.client(), List.of(), Watch.class)) {
            sw.awaitLine("WATCHING", 30);
            cw.awaitLine("WATCHING", 30);
            List<String> jvm = agent ? AgentTest.agent(null) : List.of();
            try (ChildJvm server = ChildJvm.start(bed.server(), jvm, SoakServer.class, "8080")) {
                server.awaitLine("READY", 30);
                try (ChildJvm client = ChildJvm.start(bed.client(), jvm, SoakClient.class, Testbed.serverAddress(0), "8080",
                        Integer.toString(SECONDS), Integer.toString(SHORT_WORKERS), "2", Long.toString(STREAM_BYTES))) {
                    client.awaitLine("START", 30);
                    long t0 = System.nanoTime();
                    List<double[]> samples = new ArrayList<>();
                    double firstHeap = -1;
                    double lastHeap = -1;
                    boolean dark = false;
                    boolean down = false;
                    for (int s = 0; s < SECONDS; s++) {
                        long due = t0 + s * 1_000_000_000L;
                        while (System.nanoTime() < due) {
                            Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000)); // the fault schedule's clock
                        }
                        boolean darkNow = s >= DARK_AT && s < DARK_AT + DARK;
                        if (darkNow != dark) {
                            dark(bed.server(), darkNow);
                            dark = darkNow;
                        }
                        // the second link flaps, except while the first is dark (then it is the only path)
                        boolean downNow = !darkNow && s % FLAP_EVERY >= FLAP_EVERY - FLAP_DOWN && s > WINDOW && s < SECONDS - WINDOW;
                        if (downNow != down) {
                            bed.client().ip("link", "set", Testbed.dev(1), downNow ? "down" : "up");
                            down = downNow;
                        }
                        samples.add(new double[] {s, fds(server.pid()), threads(server.pid())});
                        if (s == WINDOW - 1) {
                            firstHeap = heapAfterGc(server.pid());
                        } else if (s == SECONDS - 2) {
                            lastHeap = heapAfterGc(server.pid());
                        }
                    }
                    if (dark) {
                        dark(bed.server(), false);
                    }
                    client.awaitLine("RESULT", SECONDS + 120L);
                    return result(client.output(), window(samples, 0, WINDOW, firstHeap),
                            window(samples, SECONDS - WINDOW, SECONDS, lastHeap));
                }
            }
        }
    }

    private static void dark(Netns server, boolean on) throws Exception {
        String op = on ? "-I" : "-D";
        server.exec("iptables", "-w", op, "INPUT", "-i", Testbed.dev(0), "-j", "DROP");
        server.exec("iptables", "-w", op, "OUTPUT", "-o", Testbed.dev(0), "-j", "DROP");
    }

    private static double fds(long pid) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    private static double threads(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Double.parseDouble(line.substring(8).trim());
            }
        }
        return -1;
    }

    /** Heap in use after a full collection, MiB, as jcmd reports it. */
    private static double heapAfterGc(long pid) throws Exception {
        String jcmd = Path.of(ChildJvm.javaBinary()).resolveSibling("jcmd").toString();
        Command.run(60, jcmd, Long.toString(pid), "GC.run");
        String info = Command.run(60, jcmd, Long.toString(pid), "GC.heap_info");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        assertTrue(m.find(), info);
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private static double[] window(List<double[]> samples, int from, int to, double heap) {
        double fds = 0;
        double threads = 0;
        int n = 0;
        for (double[] s : samples) {
            if (s[0] >= from && s[0] < to) {
                fds += s[1];
                threads += s[2];
                n++;
            }
        }
        return new double[] {fds / n, threads / n, heap};
    }

    private static Run result(String output, double[] first, double[] last) {
        Map<String, Long> r = new TreeMap<>();
        List<long[]> failures = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    r.put(kv.substring(0, kv.indexOf('=')), Long.parseLong(kv.substring(kv.indexOf('=') + 1)));
                }
            } else if (line.startsWith("FAIL ")) {
                String[] w = line.split(" ");
                kinds.add(w[1]);
                failures.add(new long[] {Long.parseLong(w[2])});
            }
        }
        return new Run(r, failures, kinds, first, last, output);
    }
}
