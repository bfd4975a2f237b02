package org.mptcp4j.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mptcp4j.Mptcp;
import org.mptcp4j.benchmarks.programs.ConnectLoop;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Testbed;

/**
 * Connection set-up rate of a Java client ({@code new Socket}, one byte, close) to a server in a second
 * namespace, side by side in one run, one column per way of running it: plain TCP, {@code mptcpize run}
 * (the native anchor), the mptcp4j agent as installed (clients decided at connect), the agent deciding at
 * creation ({@code loopback=mptcp}), the library ({@code Mptcp.newSocket()}) and the system properties
 * (the SocketImpl factory through {@code java.system.class.loader}). Each with both ends run that way,
 * then each client against a server under {@code mptcpize run}. A fresh client JVM per measurement: its
 * first round of COLD cycles is the cold figure, then WARM rounds of WARM cycles. Prints microseconds per
 * connection (median over REPEATS interleaved repeats) and the ratio to mptcpize.
 * Usage (root): {@code java -cp ... org.mptcp4j.benchmarks.e2e.ConnectRate [agentJar] [cold] [warm] [warmRounds] [repeats]};
 * {@code -Dcolumns=mptcpize,library} measures only those columns (mptcpize, the anchor, always).
 */
public final class ConnectRate {
    private ConnectRate() {}

    enum Wrap {
        TCP("plain TCP"), MPTCPIZE("mptcpize"), AGENT("agent"), AGENT_AT_CREATION("agent@create"), LIBRARY("library"),
        SYSTEM_PROPERTY("sysprop");

        final String label;

        Wrap(String label) {
            this.label = label;
        }
    }

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
        List<Wrap> columns = columns(System.getProperty("columns"));
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
                    for (int c = 0; c < columns.size(); c++) {
                        Wrap w = columns.get((c + rep) % columns.size()); // each repeat starts one column later: no column always last
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
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-22s %-11s", "servers", "cycles"));
        for (Wrap w : columns) {
            head.append(String.format(Locale.ROOT, " %12s", w.label));
        }
        System.out.println(head + "   (µs per connection; x: to mptcpize)");
        for (int row = 0; row < 2; row++) {
            print(rows[row], cold, "cold", coldMs[row], columns);
            print(rows[row], warm, "warm", warmMs[row], columns);
        }
    }

    /** The columns named in {@code list} (their labels, comma-separated), in table order, with the anchor; all when null. */
    static List<Wrap> columns(String list) {
        if (list == null || list.isBlank()) {
            return List.of(Wrap.values());
        }
        List<String> names = Arrays.stream(list.split(",")).map(String::trim).toList();
        for (String n : names) {
            if (Arrays.stream(Wrap.values()).noneMatch(w -> w.label.equals(n))) {
                throw new IllegalArgumentException("-Dcolumns: unknown column '" + n + "'; expected some of "
                        + Arrays.stream(Wrap.values()).map(w -> w.label).toList());
            }
        }
        return Arrays.stream(Wrap.values()).filter(w -> w == Wrap.MPTCPIZE || names.contains(w.label)).toList();
    }

    private static void print(String row, int n, String kind, double[][] ms, List<Wrap> columns) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s %-11s", row, n + " " + kind));
        double anchor = median(ms[Wrap.MPTCPIZE.ordinal()]);
        for (Wrap w : columns) {
            double med = median(ms[w.ordinal()]);
            line.append(String.format(Locale.ROOT, " %6.1f %5s", 1000 * med / n, String.format(Locale.ROOT, "x%.2f", med / anchor)));
        }
        System.out.println(line);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static double round(String output, int r) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("ROUND " + r + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IOException("no round " + r + " in:\n" + output);
    }

    private static ChildJvm start(org.mptcp4j.testbed.Netns ns, Wrap w, Path agent, String mode, String... args) throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        switch (w) {
            case AGENT, AGENT_AT_CREATION -> jvm.add("-javaagent:" + agent + (w == Wrap.AGENT_AT_CREATION ? "=loopback=mptcp" : ""));
            case LIBRARY -> jvm.addAll(List.of(Mptcp.requiredJvmFlags().split(" ")));
            case SYSTEM_PROPERTY -> {
                jvm.addAll(List.of(Mptcp.requiredJvmFlags().split(" ")));
                jvm.add("-Djava.system.class.loader=org.mptcp4j.MptcpSystemClassLoader");
                jvm.add("-Xlog:cds=off"); // the JVM's note that CDS is off for a custom system loader, which it prints on stdout
            }
            default -> { }
        }
        if (w != Wrap.TCP && w != Wrap.MPTCPIZE && Runtime.version().feature() >= 22) {
            jvm.add("--enable-native-access=ALL-UNNAMED");
        }
        String[] all = new String[args.length + 1];
        all[0] = w == Wrap.LIBRARY ? mode + "-library" : mode;
        System.arraycopy(args, 0, all, 1, args.length);
        return ChildJvm.start(ns, w == Wrap.MPTCPIZE ? List.of("mptcpize", "run") : List.of(), jvm, ConnectLoop.class, all);
    }
}
