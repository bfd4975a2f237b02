package org.mptcp4j.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mptcp4j.Mptcp;
import org.mptcp4j.cli.Main;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Testbed;

/**
 * End-to-end throughput, one run, one table: the same two-host topology (N shaped links in network
 * namespaces), the same receiver, and side by side
 * <ol>
 *   <li>plain JDK TCP over one path, which also gives the physical (goodput) limit: N x that;</li>
 *   <li>the mptcp4j library (perf client using {@code Mptcp.openSocketChannel()});</li>
 *   <li>the mptcp4j agent on an unmodified plain-TCP Java sender ({@code perf --tcp});</li>
 *   <li>{@code mptcpize run} on that same Java sender;</li>
 *   <li>{@code mptcpize run iperf3} (native reference) against {@code mptcpize run iperf3 -s};</li>
 *   <li>plain iperf3 through the TCP-to-MPTCP gateway and the MPTCP-to-TCP reverse proxy;</li>
 *   <li>the library again with the JDK's own channel class ({@code -Dmptcp4j.compatChannels=false}):
 *       what the option-tolerant subclass costs in throughput.</li>
 * </ol>
 * Every sender omits its first second (iperf3 -O 1: slow start, and JIT warm-up for the Java ones);
 * with several rounds the table shows the median of each.
 * Usage (root): {@code java -cp benchmarks.jar org.mptcp4j.benchmarks.e2e.EndToEnd [paths] [rateMbit] [seconds] [agentJar] [rounds]}.
 */
public final class EndToEnd {
    private EndToEnd() {}

    static final Pattern RECEIVER = Pattern.compile("([0-9.]+) ([MG])bits/sec\\s+receiver");
    static final String[] NAMES = {
        "plain JDK TCP (one path)",
        "mptcp4j library",
        "mptcp4j agent (unmodified TCP sender)",
        "mptcpize run (same Java sender)",
        "mptcpize run iperf3 (native reference)",
        "plain iperf3 through gateway + reverse proxy (MPTCP middle hop)",
        "mptcp4j library, JDK channel class (-Dmptcp4j.compatChannels=false)",
    };

    public static void main(String[] args) throws Exception {
        int paths = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 100;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path agent = Path.of(args.length > 3 ? args[3] : "agent/target/mptcp4j-agent.jar").toAbsolutePath();
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        if (!Files.isRegularFile(agent)) {
            throw new IOException("agent jar not found: " + agent + " (build it: mvn -DskipTests -pl agent -am package)");
        }
        List<String> jvm = new ArrayList<>(List.of(Mptcp.requiredJvmFlags().split(" ")));
        jvm.add("-XX:+UseSerialGC");
        double[][] m = new double[NAMES.length][rounds];
        try (Testbed bed = Testbed.builder().label("e2e").paths(paths).rateMbit(rate).build();
             ChildJvm server = ChildJvm.start(bed.server(), jvm, Main.class, "perf", "-s", "-p", "5201")) {
            server.awaitLine("Server listening", 30);
            Command.run("ip", "netns", "exec", bed.server().name(), "mptcpize", "run", "iperf3", "-s", "-p", "5202", "-D");
            Command.run("ip", "netns", "exec", bed.server().name(), "iperf3", "-s", "-p", "5203", "-D");
            for (int r = 0; r < rounds; r++) {
                System.out.println("-- round " + (r + 1) + " of " + rounds);
                double[] one = round(bed, jvm, agent, Testbed.serverAddress(0), Integer.toString(seconds));
                for (int i = 0; i < one.length; i++) {
                    m[i][r] = one[i];
                }
            }
        } finally {
            Command.tryRun(10, "pkill", "-f", "iperf3 -s -p 520[23]");
        }
        double[] med = new double[NAMES.length];
        for (int i = 0; i < med.length; i++) {
            med[i] = median(m[i]);
        }
        double limit = med[0] * paths;
        double iperf = med[4];
        System.out.printf(Locale.ROOT, "%n%d paths x %.0f Mbit/s tbf, %d s per run (first second omitted), median of %d round(s); "
                + "goodput limit = %d x plain TCP one-path goodput = %.1f Mbit/s%n%n", paths, rate, seconds, rounds, paths, limit);
        System.out.println("| sender | Mbit/s | / goodput limit | / mptcpize iperf3 |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (int i = 0; i < NAMES.length; i++) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.3f |%n", NAMES[i], med[i], med[i] / limit, med[i] / iperf);
        }
        System.out.printf(Locale.ROOT, "%nagent / mptcpize on the same Java sender: %.3f; proxy chain / direct MPTCP (library): %.3f; "
                + "library with / without its channel subclass: %.3f%n", med[2] / med[3], med[5] / med[1], med[1] / med[6]);
    }

    private static double[] round(Testbed bed, List<String> jvm, Path agent, String host, String t) throws Exception {
        double[] v = new double[NAMES.length];
        v[0] = java(bed, jvm, List.of(), "perf", "-c", host, "-t", t, "-O", "1", "--tcp");
        v[1] = java(bed, jvm, List.of(), "perf", "-c", host, "-t", t, "-O", "1");
        List<String> jdkClassJvm = new ArrayList<>(jvm);
        jdkClassJvm.add("-Dmptcp4j.compatChannels=false");
        v[6] = java(bed, jdkClassJvm, List.of(), "perf", "-c", host, "-t", t, "-O", "1");
        List<String> agentJvm = new ArrayList<>(jvm);
        agentJvm.add("-javaagent:" + agent);
        v[2] = java(bed, agentJvm, List.of(), "perf", "-c", host, "-t", t, "-O", "1", "--tcp");
        v[3] = java(bed, jvm, List.of("mptcpize", "run"), "perf", "-c", host, "-t", t, "-O", "1", "--tcp");
        v[4] = native_(bed, "mptcpize run iperf3 -c", "ip", "netns", "exec", bed.client().name(), "mptcpize", "run", "iperf3",
                "-c", host, "-p", "5202", "-t", t, "-O", "1");
        try (ChildJvm reverse = ChildJvm.start(bed.server(), jvm, Main.class, "proxy", "reverse", "--listen", "6000", "--to", "127.0.0.1:5203");
             ChildJvm gateway = ChildJvm.start(bed.client(), jvm, Main.class, "proxy", "gateway", "--listen", "7000", "--to", host + ":6000")) {
            reverse.awaitLine("listening", 30);
            gateway.awaitLine("listening", 30);
            v[5] = native_(bed, "iperf3 -> gateway -> MPTCP -> reverse -> iperf3 -s", "ip", "netns", "exec", bed.client().name(),
                    "iperf3", "-c", "127.0.0.1", "-p", "7000", "-t", t, "-O", "1");
        }
        return v;
    }

    /** The median of {@code v} (not modified). */
    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
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
        String marks = jvm.stream().filter(f -> f.startsWith("-Dmptcp4j.") || f.startsWith("-javaagent"))
                .map(f -> f.startsWith("-javaagent") ? "-javaagent" : f).collect(java.util.stream.Collectors.joining(" "));
        return measured(String.join(" ", wrapper) + " java " + (marks.isEmpty() ? "" : marks + " ") + String.join(" ", tool),
                Command.run(120, argv.toArray(new String[0])));
    }

    private static double native_(Testbed bed, String label, String... argv) throws IOException {
        return measured(label, Command.run(120, argv));
    }

    private static double measured(String label, String out) throws IOException {
        Matcher m = RECEIVER.matcher(out);
        if (!m.find()) {
            throw new IOException("no receiver line from " + label + ":\n" + out);
        }
        double v = Double.parseDouble(m.group(1)) * (m.group(2).equals("G") ? 1000 : 1);
        System.out.printf(Locale.ROOT, "%-70s %8.1f Mbit/s%n", label, v);
        return v;
    }
}
