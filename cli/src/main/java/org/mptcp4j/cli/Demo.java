package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mptcp4j.Mptcp;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/**
 * The seed article on one machine: two hosts in network namespaces with three links each, shaped
 * to 100 Mbit/s, MPTCP limits and signal endpoints as in the article, one Java connection between
 * them, and pmrep-style per-interface tables showing the traffic spread over every link.
 */
final class Demo {
    private Demo() {}

    static final int PORT = 5201;

    static int run(Args args, PrintStream out) throws Exception {
        int paths = 3;
        double rate = 100;
        double seconds = 5;
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "--paths": paths = args.intValue(a, 1, 8); break;
                case "--rate": rate = args.doubleValue(a, 1, 10_000); break;
                case "-t": case "--time": seconds = args.doubleValue(a, 1, 60); break;
                default: throw new UsageException("unknown demo option: " + a + " (expected --paths N, --rate MBIT, -t SEC)");
            }
        }
        if (!Netns.canCreate()) {
            throw new UsageException("demo needs root to create network namespaces (run it with sudo)");
        }
        out.printf(Locale.ROOT, "mptcp4j demo: two hosts, %d links of %.0f Mbit/s each (network namespaces), one MPTCP connection from Java%n%n", paths, rate);
        try (Testbed bed = Testbed.builder().label("demo").paths(paths).rateMbit(rate).build()) {
            describe(bed, out);
            List<String> jvm = ToolJvm.options();
            try (ChildJvm server = ChildJvm.start(bed.server(), jvm, Main.class, "perf", "-s", "-p", Integer.toString(PORT))) {
                server.awaitLine("Server listening", 30);
                Map<String, InterfaceCounters.Counters> serverStart = InterfaceCounters.read(server.pid());
                List<Map<String, InterfaceCounters.Counters>> clientSamples = new ArrayList<>();
                List<Map<String, InterfaceCounters.Counters>> serverSamples = new ArrayList<>();
                out.println("$ mptcp4j perf -c " + Testbed.serverAddress(0) + " -t " + fmt(seconds) + " -i 1      # on the client host");
                try (ChildJvm client = ChildJvm.start(bed.client(), jvm, Main.class, "perf", "-c", Testbed.serverAddress(0),
                        "-p", Integer.toString(PORT), "-t", fmt(seconds), "-i", "1", "--subflows")) {
                    int printed = 0;
                    long deadline = System.nanoTime() + (long) ((seconds + 30) * 1e9);
                    long nextSample = System.nanoTime();
                    while (client.isAlive() && System.nanoTime() < deadline) {
                        if (System.nanoTime() >= nextSample) {
                            clientSamples.add(InterfaceCounters.read(client.pid()));
                            serverSamples.add(InterfaceCounters.read(server.pid()));
                            nextSample += 1_000_000_000L;
                        }
                        printed = relay(client.output(), printed, out);
                        client.waitFor(50);
                    }
                    int exit = client.await(10);
                    relay(client.output(), printed, out);
                    if (exit != 0) {
                        out.println("mptcp4j demo: the client failed (exit " + exit + ")");
                        return 1;
                    }
                }
                String receiverLine = server.awaitLine("receiver", 10);
                out.println("server: " + receiverLine.strip());
                Map<String, InterfaceCounters.Counters> serverEnd = InterfaceCounters.read(server.pid());
                out.println();
                out.println("$ pmrep network.interface.out.bytes -t1   # on the client host");
                pmrep(clientSamples, bed.devices(), false, out);
                out.println();
                out.println("$ pmrep network.interface.in.bytes -t1    # on the server host");
                pmrep(serverSamples, bed.devices(), true, out);
                return verdict(bed, serverStart, serverEnd, rate, seconds, out);
            }
        }
    }

    private static void describe(Testbed bed, PrintStream out) {
        out.println("# both hosts (as in the article)");
        out.printf("ip mptcp limits set subflow %d add_addr_accepted %d%n", bed.paths() - 1, bed.paths() - 1);
        out.println("# server host: announce its extra addresses");
        for (int i = 1; i < bed.paths(); i++) {
            out.println("ip mptcp endpoint add " + Testbed.serverAddress(i) + " dev " + Testbed.dev(i) + " signal");
        }
        out.println("# links");
        for (int i = 0; i < bed.paths(); i++) {
            out.printf(Locale.ROOT, "  %s: client %s <-> server %s, tbf %.0f Mbit/s%n", Testbed.dev(i),
                    Testbed.clientAddress(i), Testbed.serverAddress(i), bed.rateMbit(i));
        }
        out.println();
    }

    private static int relay(String output, int printed, PrintStream out) {
        int end = output.lastIndexOf('\n') + 1;
        if (end > printed) {
            out.print(output.substring(printed, end));
            out.flush();
            return end;
        }
        return printed;
    }

    /** Prints per-second byte rates per interface, pmrep style. */
    private static void pmrep(List<Map<String, InterfaceCounters.Counters>> samples, List<String> devs, boolean in, PrintStream out) {
        Format.pmrepHeader(devs, in ? "n.i.in.bytes" : "n.i.out.bytes", out);
        for (int i = 1; i < samples.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%8ds ", i));
            for (String d : devs) {
                InterfaceCounters.Counters a = samples.get(i - 1).get(d);
                InterfaceCounters.Counters b = samples.get(i).get(d);
                long delta = a == null || b == null ? 0 : in ? b.rxBytes() - a.rxBytes() : b.txBytes() - a.txBytes();
                row.append(String.format(" %15d", delta));
            }
            out.println(row);
        }
    }

    private static int verdict(Testbed bed, Map<String, InterfaceCounters.Counters> start,
                               Map<String, InterfaceCounters.Counters> end, double rate, double seconds, PrintStream out) {
        Map<String, Long> rx = new LinkedHashMap<>();
        long total = 0;
        for (String d : bed.devices()) {
            long v = end.get(d).rxBytes() - start.get(d).rxBytes();
            rx.put(d, v);
            total += v;
        }
        out.println();
        boolean ok = true;
        for (Map.Entry<String, Long> e : rx.entrySet()) {
            double share = total == 0 ? 0 : 100.0 * e.getValue() / total;
            boolean carried = share >= 5;
            ok &= carried;
            out.printf(Locale.ROOT, "check: %s carried %5.1f%% of the server's received bytes (%s) %s%n",
                    e.getKey(), share, Format.bytes(e.getValue()), carried ? "ok" : "FAILED: expected at least 5%");
        }
        double limit = bed.paths() * rate;
        double achieved = total * 8 / seconds / 1e6;
        out.printf(Locale.ROOT, "link traffic %.1f Mbit/s on the wire over %d links (sum of shaped rates %.0f Mbit/s)%n",
                achieved, bed.paths(), limit);
        out.println(ok ? "RESULT: one MPTCP connection used every interface" : "RESULT: FAILED: not every interface carried traffic");
        return ok ? 0 : 1;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
