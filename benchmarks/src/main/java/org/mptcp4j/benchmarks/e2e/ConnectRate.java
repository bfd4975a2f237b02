package org.mptcp4j.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mptcp4j.benchmarks.programs.ConnectLoop;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Testbed;

/**
 * Connection set-up rate of an unmodified Java client ({@code new Socket}, one byte, close) to a server in
 * a second namespace, side by side in one run: plain TCP, {@code mptcpize run} (the native anchor) and
 * the mptcp4j agent, each with both ends under the same wrapper, then each client against a server under
 * {@code mptcpize run}; and the agent client with {@code loopback=mptcp}, which lets it decide when the
 * socket is created instead of at connect (no options to carry over): where the connect path's time goes. A fresh client JVM per measurement: its first round of COLD cycles is the cold
 * figure, then WARM rounds of WARM cycles. Prints milliseconds (median over REPEATS interleaved repeats)
 * and the ratio to mptcpize.
 * Usage (root): {@code java -cp ... org.mptcp4j.benchmarks.e2e.ConnectRate [agentJar] [cold] [warm] [warmRounds] [repeats]}.
 */
public final class ConnectRate {
    private ConnectRate() {}

    /** The agent twice: as installed (clients decided at connect, options carried) and decided at creation (no carry). */
    enum Wrap { TCP, MPTCPIZE, AGENT, AGENT_AT_CREATION }

    public static void main(String[] args) throws Exception {
        Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/mptcp4j-agent.jar").toAbsolutePath();
        int cold = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 30000;
        int warmRounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        if (!Files.isRegularFile(agent)) {
            throw new IOException("agent jar not found: " + agent + " (build it: mvn -DskipTests -pl agent -am package)");
        }
        String[] rows = {"both ends", "server under mptcpize"};
        int wraps = Wrap.values().length;
        double[][][] coldMs = new double[2][wraps][repeats];
        double[][][] warmMs = new double[2][wraps][repeats];
        try (Testbed bed = Testbed.builder().label("cr").paths(1).mptcpEndpoints(false).build()) {
            for (var ns : List.of(bed.client(), bed.server())) {
                ns.sysctl("net.ipv4.tcp_tw_reuse", "1"); // tens of thousands of short connections from one address
                ns.sysctl("net.ipv4.ip_local_port_range", "1024 65535");
            }
            int port = 6100;
            for (int rep = 0; rep < repeats; rep++) {
                for (int row = 0; row < 2; row++) {
                    for (Wrap w : Wrap.values()) {
                        Wrap serverWrap = row == 0 ? (w == Wrap.AGENT_AT_CREATION ? Wrap.AGENT : w) : Wrap.MPTCPIZE;
                        port++;
                        try (ChildJvm server = start(bed.server(), serverWrap, agent, "serve", Integer.toString(port))) {
                            server.awaitLine("READY", 30);
                            try (ChildJvm client = start(bed.client(), w, agent, "connect", Testbed.serverAddress(0), Integer.toString(port),
                                    Integer.toString(cold), "1")) {
                                if (client.await(600) != 0) {
                                    throw new IOException(client.output());
                                }
                                coldMs[row][w.ordinal()][rep] = round(client.output(), 0);
                            }
                            try (ChildJvm client = start(bed.client(), w, agent, "connect", Testbed.serverAddress(0), Integer.toString(port),
                                    Integer.toString(warm), Integer.toString(warmRounds + 1))) {
                                if (client.await(1200) != 0) {
                                    throw new IOException(client.output());
                                }
                                double best = Double.MAX_VALUE;
                                for (int r = 1; r <= warmRounds; r++) { // round 0 warms up
                                    best = Math.min(best, round(client.output(), r));
                                }
                                warmMs[row][w.ordinal()][rep] = best;
                            }
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-22s %-11s %10s %10s %10s %14s %16s%n", "servers", "cycles", "plain TCP", "mptcpize", "agent",
                "agent/mptcpize", "at creation/mz");
        for (int row = 0; row < 2; row++) {
            print(rows[row], cold + " cold", coldMs[row]);
            print(rows[row], warm + " warm", warmMs[row]);
        }
    }

    private static void print(String row, String cycles, double[][] ms) {
        double[] med = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            double[] v = ms[i].clone();
            Arrays.sort(v);
            med[i] = v[v.length / 2];
        }
        double n = Double.parseDouble(cycles.split(" ")[0]);
        System.out.printf(Locale.ROOT, "%-22s %-11s %7.0f ms %7.0f ms %7.0f ms %14.2f %16.2f   (µs per connection: %.1f / %.1f / %.1f / %.1f)%n",
                row, cycles, med[0], med[1], med[2], med[2] / med[1], med[3] / med[1],
                1000 * med[0] / n, 1000 * med[1] / n, 1000 * med[2] / n, 1000 * med[3] / n);
    }

    private static double round(String output, int r) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("ROUND " + r + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IOException("no round " + r + " in:\n" + output);
    }

    private static ChildJvm start(org.mptcp4j.testbed.Netns ns, Wrap w, Path agent, String... args) throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        if (w == Wrap.AGENT || w == Wrap.AGENT_AT_CREATION) {
            jvm.add("-javaagent:" + agent + (w == Wrap.AGENT_AT_CREATION ? "=loopback=mptcp" : ""));
            if (Runtime.version().feature() >= 22) {
                jvm.add("--enable-native-access=ALL-UNNAMED");
            }
        }
        return ChildJvm.start(ns, w == Wrap.MPTCPIZE ? List.of("mptcpize", "run") : List.of(), jvm, ConnectLoop.class, args);
    }
}
