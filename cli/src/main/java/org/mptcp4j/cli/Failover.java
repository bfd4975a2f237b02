package org.mptcp4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/**
 * The seed's real-world failover, reproduced: an "ethernet" and a slower "wlan" path, one MPTCP
 * connection, ethernet unplugged and plugged back mid-transfer. Prints iperf3-style intervals, the
 * stream's integrity (SHA-256 at both ends), the longest receive stall and the recovery time, and
 * draws per-interface throughput over time with the down/up moments marked.
 */
final class Failover {
    private Failover() {}

    static final int PORT = 5201;
    static final long SAMPLE_MS = 250;

    static int run(Args args, PrintStream out) throws Exception {
        double eth = 100;
        double wlan = 35;
        double seconds = 20;
        double interval = 1;
        double down = 6;
        double up = 13;
        Path chart = null;
        boolean watch = false;
        Peer peer = Peer.MPTCP4J;
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "--eth": eth = args.doubleValue(a, 1, 10_000); break;
                case "--wlan": wlan = args.doubleValue(a, 1, 10_000); break;
                case "-t": case "--time": seconds = args.doubleValue(a, 4, 300); break;
                case "-i": case "--interval": interval = args.doubleValue(a, 0.2, 30); break;
                case "--down": down = args.doubleValue(a, 0.5, 300); break;
                case "--up": up = args.doubleValue(a, 0.5, 300); break;
                case "--chart": chart = Path.of(args.value(a)); break;
                case "--watch": watch = true; break;
                case "--peer": peer = Peer.parse(args.value(a)); break;
                default: throw new UsageException("unknown failover option: " + a
                        + " (expected --eth MBIT, --wlan MBIT, -t SEC, -i SEC, --down SEC, --up SEC, --chart FILE.svg|png, --watch, --peer KIND)");
            }
        }
        if (!(down < up && up < seconds)) {
            throw new UsageException("bad timeline: --down " + down + " --up " + up + " -t " + seconds + " (expected down < up < time)");
        }
        if (chart != null && !chart.toString().matches("(?i).*\\.(svg|png)")) {
            throw new UsageException("bad value for --chart: " + chart + " (expected a file name ending in .svg or .png)");
        }
        if (!Netns.canCreate()) {
            throw new UsageException("demo failover needs root to create network namespaces (run it with sudo)");
        }
        peer.checkInstalled();
        out.printf(Locale.ROOT, "mptcp4j failover: \"ethernet\" eth0 %.0f Mbit/s + \"wlan\" eth1 %.0f Mbit/s, one MPTCP connection;%n"
                + "ethernet unplugged at %.1f s, plugged back at %.1f s, %.0f s in all; both ends: %s%n%n",
                eth, wlan, down, up, seconds, peer.description);
        try (Testbed bed = Testbed.builder().label("fo").paths(2).ratesMbit(eth, wlan).build()) {
            List<String> jvm = ToolJvm.options();
            ChildJvm watcher = null;
            if (watch) {
                // the ethernet address as a client "subflow" endpoint, managed by the link watcher
                bed.client().ip("mptcp", "endpoint", "add", Testbed.clientAddress(0), "dev", Testbed.dev(0), "subflow");
                // the subflow re-opened on the ethernet is an extra one: leave room for it next to the wlan subflow
                bed.client().ip("mptcp", "limits", "set", "subflow", "2", "add_addr_accepted", "1");
                bed.server().ip("mptcp", "limits", "set", "subflow", "2", "add_addr_accepted", "1");
                watcher = ChildJvm.start(bed.client(), jvm, Main.class, "watch");
                watcher.awaitLine("watching links", 30);
                out.println("link watcher on (client host): " + Testbed.clientAddress(0) + " dev " + Testbed.dev(0) + " subflow endpoint follows the link");
            }
            try (ChildJvm w = watcher; ChildJvm server = peer.start(bed.server(), jvm, "server", Integer.toString(PORT))) {
                server.awaitLine("READY", 30);
                try (ChildJvm client = peer.start(bed.client(), jvm, "client",
                        Testbed.serverAddress(0), Integer.toString(PORT), Double.toString(seconds), Double.toString(interval))) {
                    client.awaitLine("connected", 30);
                    long t0 = System.nanoTime();
                    List<long[]> samples = new ArrayList<>(); // {nanos since t0, eth0 tx, eth1 tx}
                    boolean isDown = false;
                    boolean isUp = false;
                    int printed = 0;
                    long nextSample = t0;
                    long deadline = t0 + (long) ((seconds + 60) * 1e9);
                    while (client.isAlive() && System.nanoTime() < deadline) {
                        long now = System.nanoTime();
                        double t = (now - t0) / 1e9;
                        if (!isDown && t >= down) {
                            bed.linkDown(0);
                            isDown = true;
                            out.printf(Locale.ROOT, "*** %.2f s: ethernet (eth0) unplugged%n", t);
                        }
                        if (!isUp && t >= up) {
                            bed.linkUp(0);
                            isUp = true;
                            out.printf(Locale.ROOT, "*** %.2f s: ethernet (eth0) plugged back%n", t);
                        }
                        if (now >= nextSample) {
                            Map<String, InterfaceCounters.Counters> c;
                            try {
                                c = InterfaceCounters.read(client.pid());
                            } catch (java.nio.file.NoSuchFileException exited) {
                                break; // the sender just finished
                            }
                            samples.add(new long[] {now - t0, c.get("eth0").txBytes(), c.get("eth1").txBytes()});
                            nextSample += SAMPLE_MS * 1_000_000;
                        }
                        printed = relay(client.output(), printed, out);
                        client.waitFor(20);
                    }
                    int exit = client.await(30);
                    relay(client.output(), printed, out);
                    if (exit != 0) {
                        out.println("mptcp4j failover: the sender failed (exit " + exit + "): the connection did not survive");
                        return 1;
                    }
                    if (w != null) {
                        w.output().lines().filter(l -> l.contains(" down: ") || l.contains(" up: ")).forEach(l -> out.println("watcher: " + l));
                    }
                    String[] sent = client.awaitLine("SENT", 5).trim().split(" ");
                    String[] received = server.awaitLine("RECEIVED", 30).trim().split(" ");
                    return report(sent, received, samples, eth, wlan, down, up, chart, out);
                }
            }
        }
    }

    /** Which program runs both ends of the connection: mptcp4j, or a reference that {@code mptcpize run} converts. */
    enum Peer {
        MPTCP4J("mptcp4j", "the mptcp4j library (Java)"),
        MPTCPIZE_JAVA("mptcpize-java", "mptcpize run, the same Java program on plain JDK sockets"),
        MPTCPIZE_NATIVE("mptcpize-native", "mptcpize run python3, plain sockets (native reference)");

        final String option;
        final String description;

        Peer(String option, String description) {
            this.option = option;
            this.description = description;
        }

        static Peer parse(String value) throws UsageException {
            for (Peer p : values()) {
                if (p.option.equals(value)) {
                    return p;
                }
            }
            throw new UsageException("bad value for --peer: " + value + " (expected mptcp4j, mptcpize-java or mptcpize-native)");
        }

        void checkInstalled() throws UsageException {
            if (this != MPTCP4J && !Command.onPath("mptcpize")) {
                throw new UsageException("--peer " + option + " needs mptcpize on PATH (Debian package mptcpize)");
            }
            if (this == MPTCPIZE_NATIVE && !Command.onPath("python3")) {
                throw new UsageException("--peer " + option + " needs python3 on PATH");
            }
        }

        ChildJvm start(Netns ns, List<String> jvm, String... roleArgs) throws IOException {
            String[] javaPeer = Command.concat(List.of("failover-peer"), roleArgs);
            switch (this) {
                case MPTCP4J:
                    return ChildJvm.start(ns, jvm, Main.class, javaPeer);
                case MPTCPIZE_JAVA:
                    return ChildJvm.start(ns, List.of("mptcpize", "run"), jvm, Main.class, Command.concat(List.of(javaPeer), "--tcp"));
                default:
                    return ChildJvm.startProgram(ns, List.of(Command.concat(List.of("mptcpize", "run", "python3", "-c", nativeScript()), roleArgs)));
            }
        }

        private static String nativeScript() throws IOException {
            try (InputStream in = Failover.class.getResourceAsStream("failover_peer.py")) {
                if (in == null) {
                    throw new IOException("failover_peer.py missing from the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static int relay(String output, int printed, PrintStream out) {
        int end = output.lastIndexOf('\n') + 1;
        if (end > printed) {
            for (String line : output.substring(printed, end).split("\n")) {
                if (!line.startsWith("SENT")) {
                    out.println(line);
                }
            }
            out.flush();
            return end;
        }
        return printed;
    }

    /** What differs between the two ends' SENT and RECEIVED lines, in exact bytes (the summary rounds them). */
    static String difference(String[] sent, String[] received) {
        long s = Long.parseLong(sent[1]);
        long r = Long.parseLong(received[1]);
        if (s == r) {
            return "DIFFERENT with the same length (" + s + " bytes): data corrupted";
        }
        return "DIFFERENT: " + (s > r ? (s - r) + " bytes lost" : (r - s) + " bytes more than sent") + " (sent " + s + ", received " + r + " bytes)";
    }

    private static int report(String[] sent, String[] received, List<long[]> samples, double eth, double wlan,
                              double down, double up, Path chart, PrintStream out) throws Exception {
        boolean intact = sent[1].equals(received[1]) && sent[2].equals(received[2]);
        double stallMs = Double.parseDouble(received[3]);
        // per-sample rates (Mbit/s on the wire, client side)
        List<double[]> ethSeries = new ArrayList<>();
        List<double[]> wlanSeries = new ArrayList<>();
        List<double[]> total = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1);
            long[] b = samples.get(i);
            double dt = (b[0] - a[0]) / 1e9;
            double t = b[0] / 1e9;
            double r0 = (b[1] - a[1]) * 8 / dt / 1e6;
            double r1 = (b[2] - a[2]) * 8 / dt / 1e6;
            ethSeries.add(new double[] {t, r0});
            wlanSeries.add(new double[] {t, r1});
            total.add(new double[] {t, r0 + r1});
        }
        double both = average(total, 2, down);
        double wlanOnly = average(total, down + 1.5, up);
        double recovered = -1;
        for (double[] p : total) {
            if (p[0] > up && windowAverage(total, p[0], 1.0) >= 0.95 * both) {
                recovered = p[0] - up;
                break;
            }
        }
        double after = average(total, up + Math.max(recovered, 0) + 1, total.get(total.size() - 1)[0]);
        out.println();
        out.printf(Locale.ROOT, "integrity: sent %s, received %s, SHA-256 %s%n", Format.bytes(Long.parseLong(sent[1])),
                Format.bytes(Long.parseLong(received[1])), intact ? "equal: 0 bytes lost" : difference(sent, received));
        out.printf(Locale.ROOT, "longest receive stall: %.0f ms (the connection never broke)%n", stallMs);
        out.printf(Locale.ROOT, "on the wire: both links %.1f Mbit/s, wlan alone %.1f Mbit/s, after replug %.1f Mbit/s (shaped %.0f + %.0f)%n",
                both, wlanOnly, after, eth, wlan);
        out.println(recovered >= 0
                ? String.format(Locale.ROOT, "recovery: back to >= 95%% of the two-link rate %.1f s after the link came up", recovered)
                : "recovery: did not reach 95% of the two-link rate before the end of the run");
        if (chart != null) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            series.put("ethernet (eth0)", ethSeries);
            series.put("wlan (eth1)", wlanSeries);
            series.put("total", total);
            Chart.write(chart, "One MPTCP connection: per-interface throughput", series,
                    List.of(new Chart.Event(down, "ethernet unplugged"), new Chart.Event(up, "ethernet back")));
            out.println("chart: " + chart.toAbsolutePath());
        }
        out.println(intact ? "RESULT: failover without loss" : "RESULT: FAILED");
        return intact ? 0 : 1;
    }

    private static double average(List<double[]> series, double from, double to) {
        double sum = 0;
        int n = 0;
        for (double[] p : series) {
            if (p[0] > from && p[0] <= to) {
                sum += p[1];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static double windowAverage(List<double[]> series, double end, double width) {
        return average(series, end - width, end);
    }
}
