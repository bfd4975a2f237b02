package org.mptcp4j.benchmarks.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mptcp4j.Mptcp;
import org.mptcp4j.cli.Main;
import org.mptcp4j.testbed.ChildJvm;

/**
 * The failover run side by side with its references, rounds interleaved so that machine noise hits
 * every variant alike: both ends mptcp4j, both ends the same Java program converted by {@code mptcpize
 * run}, and both ends a native program (python3 on plain sockets) converted by {@code mptcpize run};
 * each with the kernel path manager alone and with mptcp4j's link watcher. Every run is
 * {@code mptcp4j demo failover} in fresh namespaces ("ethernet" 100 Mbit/s + "wlan" 35 Mbit/s,
 * ethernet down at 6 s, back at 13 s, 20 s). The table gives bytes lost, the longest receive stall and
 * the time after replug until the two-link rate is back (median and range over the rounds).
 * Usage (root): {@code java -cp benchmarks.jar org.mptcp4j.benchmarks.e2e.FailoverBench [rounds]}.
 */
public final class FailoverBench {
    private FailoverBench() {}

    static final String[] PEERS = {"mptcp4j", "mptcpize-java", "mptcpize-native"};
    static final String[] PEER_NAMES = {
        "mptcp4j library (Java)",
        "mptcpize run, same Java program",
        "mptcpize run python3 (native reference)",
    };
    static final Pattern STALL = Pattern.compile("longest receive stall: ([0-9.]+) ms");
    static final Pattern RECOVERY = Pattern.compile("recovery: back to >= 95% of the two-link rate ([0-9.]+) s");
    static final Pattern INTACT = Pattern.compile("integrity: sent .*, SHA-256 equal: 0 bytes lost");
    static final double NOT_RECOVERED = Double.POSITIVE_INFINITY;

    /** One run's outcome. */
    record Run(boolean intact, double stallMs, double recoverySeconds) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> jvm = new ArrayList<>(List.of(Mptcp.requiredJvmFlags().split(" ")));
        jvm.add("-XX:+UseSerialGC");
        Run[][][] runs = new Run[PEERS.length][2][rounds];
        for (int r = 0; r < rounds; r++) {
            System.out.println("-- round " + (r + 1) + " of " + rounds);
            for (int w = 0; w < 2; w++) {
                for (int p = 0; p < PEERS.length; p++) {
                    runs[p][w][r] = once(jvm, PEERS[p], w == 1);
                    System.out.printf(Locale.ROOT, "%-42s %-13s %s stall %6.0f ms, recovery %s%n", PEER_NAMES[p],
                            w == 1 ? "link watcher" : "kernel alone", runs[p][w][r].intact() ? "intact," : "DATA LOST,",
                            runs[p][w][r].stallMs(), seconds(runs[p][w][r].recoverySeconds()));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n\"ethernet\" 100 Mbit/s + \"wlan\" 35 Mbit/s, ethernet down at 6 s and back at 13 s, 20 s per run, "
                + "%d round(s); median (min-max)%n%n", rounds);
        System.out.println("| both ends | path manager | bytes lost | longest receive stall, ms | back to 95 % of the two-link rate after replug, s |");
        System.out.println("| --- | --- | --- | ---: | ---: |");
        for (int w = 0; w < 2; w++) {
            for (int p = 0; p < PEERS.length; p++) {
                Run[] v = runs[p][w];
                boolean allIntact = Arrays.stream(v).allMatch(Run::intact);
                double[] stall = Arrays.stream(v).mapToDouble(Run::stallMs).sorted().toArray();
                double[] rec = Arrays.stream(v).mapToDouble(Run::recoverySeconds).sorted().toArray();
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %.0f (%.0f-%.0f) | %s (%s-%s) |%n", PEER_NAMES[p],
                        w == 1 ? "kernel + link watcher" : "kernel alone", allIntact ? "0" : "DATA LOST",
                        EndToEnd.median(stall), stall[0], stall[stall.length - 1],
                        seconds(EndToEnd.median(rec)), seconds(rec[0]), seconds(rec[rec.length - 1]));
            }
        }
        System.out.println("\n(\"> 7\": not back within the 7 s left in the run)");
    }

    private static Run once(List<String> jvm, String peer, boolean watch) throws IOException {
        List<String> args = new ArrayList<>(List.of("demo", "failover", "--peer", peer));
        if (watch) {
            args.add("--watch");
        }
        try (ChildJvm run = ChildJvm.start(null, jvm, Main.class, args.toArray(new String[0]))) {
            int exit = run.await(120);
            String out = run.output();
            Matcher stall = STALL.matcher(out);
            if (!stall.find()) { // a run that lost data still reports its stall (and exits 1)
                throw new IOException("failover run (" + String.join(" ", args) + ") failed, exit " + exit + ":\n" + out);
            }
            Matcher recovery = RECOVERY.matcher(out);
            return new Run(INTACT.matcher(out).find(), Double.parseDouble(stall.group(1)),
                    recovery.find() ? Double.parseDouble(recovery.group(1)) : NOT_RECOVERED);
        }
    }

    private static String seconds(double s) {
        return Double.isInfinite(s) ? "> 7" : String.format(Locale.ROOT, "%.1f", s);
    }
}
