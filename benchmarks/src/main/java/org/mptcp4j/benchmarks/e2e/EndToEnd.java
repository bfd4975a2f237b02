package org.mptcp4j.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mptcp4j.Mptcp;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Testbed;
import org.mptcp4j.tools.Main;

/**
 * End-to-end throughput, one run, one table: the same two-host topology (N shaped links in network
 * namespaces), the same receiver, and side by side
 * <ol>
 *   <li>plain JDK TCP over one path, which also gives the physical (goodput) limit: N x that;</li>
 *   <li>the mptcp4j library (perf client using {@code Mptcp.openSocketChannel()});</li>
 *   <li>the mptcp4j agent on an unmodified plain-TCP Java sender ({@code perf --tcp});</li>
 *   <li>{@code mptcpize run} on that same Java sender;</li>
 *   <li>{@code mptcpize run iperf3} (native reference) against {@code mptcpize run iperf3 -s}.</li>
 * </ol>
 * Usage (root): {@code java -cp benchmarks.jar org.mptcp4j.benchmarks.e2e.EndToEnd [paths] [rateMbit] [seconds] [agentJar]}.
 */
public final class EndToEnd {
    private EndToEnd() {}

    static final Pattern RECEIVER = Pattern.compile("([0-9.]+) ([MG])bits/sec\\s+receiver");

    public static void main(String[] args) throws Exception {
        int paths = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 100;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path agent = Path.of(args.length > 3 ? args[3] : "agent/target/mptcp4j-agent.jar").toAbsolutePath();
        if (!Files.isRegularFile(agent)) {
            throw new IOException("agent jar not found: " + agent + " (build it: mvn -DskipTests -pl agent -am package)");
        }
        List<String> jvm = new ArrayList<>(List.of(Mptcp.requiredJvmFlags().split(" ")));
        jvm.add("-XX:+UseSerialGC");
        String host = Testbed.serverAddress(0);
        String t = Integer.toString(seconds);
        List<String[]> rows = new ArrayList<>();
        try (Testbed bed = Testbed.builder().label("e2e").paths(paths).rateMbit(rate).build();
             ChildJvm server = ChildJvm.start(bed.server(), jvm, Main.class, "perf", "-s", "-p", "5201")) {
            server.awaitLine("Server listening", 30);
            Command.run("ip", "netns", "exec", bed.server().name(), "mptcpize", "run", "iperf3", "-s", "-p", "5202", "-D");

            double tcp = java(bed, jvm, List.of(), "perf", "-c", host, "-t", t, "--tcp");
            double limit = tcp * paths;
            double lib = java(bed, jvm, List.of(), "perf", "-c", host, "-t", t);
            List<String> agentJvm = new ArrayList<>(jvm);
            agentJvm.add("-javaagent:" + agent);
            double viaAgent = java(bed, agentJvm, List.of(), "perf", "-c", host, "-t", t, "--tcp");
            double mptcpizeJava = java(bed, jvm, List.of("mptcpize", "run"), "perf", "-c", host, "-t", t, "--tcp");
            double iperf = iperf3(bed, host, seconds);

            // proxies: plain iperf3 -> gateway (client host) -> MPTCP -> reverse proxy (server host) -> plain iperf3 -s
            Command.run("ip", "netns", "exec", bed.server().name(), "iperf3", "-s", "-p", "5203", "-D");
            double chain;
            try (ChildJvm reverse = ChildJvm.start(bed.server(), jvm, Main.class, "proxy", "reverse", "--listen", "6000", "--to", "127.0.0.1:5203");
                 ChildJvm gateway = ChildJvm.start(bed.client(), jvm, Main.class, "proxy", "gateway", "--listen", "7000", "--to", host + ":6000")) {
                reverse.awaitLine("listening", 30);
                gateway.awaitLine("listening", 30);
                String out = Command.run(120, "ip", "netns", "exec", bed.client().name(), "iperf3", "-c", "127.0.0.1", "-p", "7000", "-t", t);
                Matcher m = RECEIVER.matcher(out);
                if (!m.find()) {
                    throw new IOException("no receiver line from iperf3 through the proxies:\n" + out);
                }
                chain = Double.parseDouble(m.group(1)) * (m.group(2).equals("G") ? 1000 : 1);
                System.out.printf(Locale.ROOT, "%-60s %8.1f Mbit/s%n", "iperf3 -> gateway -> MPTCP -> reverse -> iperf3 -s", chain);
            }

            rows.add(row("plain JDK TCP (one path)", tcp, limit, iperf));
            rows.add(row("mptcp4j library", lib, limit, iperf));
            rows.add(row("mptcp4j agent (unmodified TCP sender)", viaAgent, limit, iperf));
            rows.add(row("mptcpize run (same Java sender)", mptcpizeJava, limit, iperf));
            rows.add(row("mptcpize run iperf3 (native reference)", iperf, limit, iperf));
            rows.add(row("plain iperf3 through gateway + reverse proxy (MPTCP middle hop)", chain, limit, iperf));
            System.out.printf(Locale.ROOT, "%n%d paths x %.0f Mbit/s tbf, %d s per run; goodput limit = %d x plain TCP one-path goodput = %.1f Mbit/s%n%n",
                    paths, rate, seconds, paths, limit);
            System.out.println("| sender | Mbit/s | / goodput limit | / mptcpize iperf3 |");
            System.out.println("| --- | ---: | ---: | ---: |");
            for (String[] r : rows) {
                System.out.println("| " + String.join(" | ", r) + " |");
            }
            System.out.printf(Locale.ROOT, "%nproxy chain / direct MPTCP (library): %.3f%n", chain / lib);
        } finally {
            Command.tryRun(10, "pkill", "-f", "iperf3 -s -p 520[23]");
        }
    }

    private static String[] row(String name, double mbit, double limit, double reference) {
        return new String[] {name, String.format(Locale.ROOT, "%.1f", mbit), String.format(Locale.ROOT, "%.3f", mbit / limit),
                String.format(Locale.ROOT, "%.3f", mbit / reference)};
    }

    /** Runs the Java perf client (optionally wrapped, e.g. by mptcpize) in the client namespace; receiver Mbit/s. */
    private static double java(Testbed bed, List<String> jvm, List<String> wrapper, String... tool) throws IOException {
        List<String> argv = new ArrayList<>(bed.client().execPrefix());
        argv.addAll(wrapper);
        argv.add(ChildJvm.javaBinary());
        argv.addAll(jvm);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(Main.class.getName());
        argv.addAll(List.of(tool));
        String out = Command.run(120, argv.toArray(new String[0]));
        Matcher m = RECEIVER.matcher(out);
        if (!m.find()) {
            throw new IOException("no receiver line in:\n" + out);
        }
        double v = Double.parseDouble(m.group(1)) * (m.group(2).equals("G") ? 1000 : 1);
        System.out.printf(Locale.ROOT, "%-60s %8.1f Mbit/s%n", String.join(" ", wrapper) + " java " + String.join(" ", tool), v);
        return v;
    }

    private static double iperf3(Testbed bed, String host, int seconds) throws IOException {
        String out = Command.run(120, "ip", "netns", "exec", bed.client().name(), "mptcpize", "run", "iperf3", "-c", host,
                "-p", "5202", "-t", Integer.toString(seconds));
        Matcher m = RECEIVER.matcher(out);
        if (!m.find()) {
            throw new IOException("no receiver line from iperf3:\n" + out);
        }
        double v = Double.parseDouble(m.group(1)) * (m.group(2).equals("G") ? 1000 : 1);
        System.out.printf(Locale.ROOT, "%-60s %8.1f Mbit/s%n", "mptcpize run iperf3 -c", v);
        return v;
    }
}
