package org.mptcp4j.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code mptcp4j perf}: the bandwidth tool's command line (iperf3-like options). */
final class Perf {
    private Perf() {}

    static final String USAGE = "usage: mptcp4j perf -s [-p PORT] [-1] [--tcp] | -c HOST [-p PORT] [-t SEC] [-i SEC] [-P N] [-R] [-O SEC] [-J] [--tcp] [--subflows]";

    static int run(Args args, PrintStream out) throws Exception {
        Boolean server = null;
        String host = null;
        int port = 5201;
        double time = 10;
        double interval = 1;
        boolean once = false;
        boolean tcp = false;
        boolean subflows = false;
        int parallel = 1;
        int omit = 0;
        boolean reverse = false;
        boolean json = false;
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "-s": case "--server": server = true; break;
                case "-c": case "--client": server = false; host = args.value(a); break;
                case "-p": case "--port": port = Args.port(args.value(a)); break;
                case "-t": case "--time": time = args.doubleValue(a, 0.1, 86_400); break;
                case "-i": case "--interval": interval = args.doubleValue(a, 0.1, 60); break;
                case "-1": case "--one-off": once = true; break;
                case "--tcp": tcp = true; break;
                case "--subflows": subflows = true; break;
                case "-P": case "--parallel": parallel = args.intValue(a, 1, 128); break;
                case "-R": case "--reverse": reverse = true; break;
                case "-J": case "--json": json = true; break;
                case "-O": case "--omit": omit = args.intValue(a, 0, 600); break;
                default: throw new UsageException("unknown perf option: " + a + "; " + USAGE);
            }
        }
        if (server == null) {
            throw new UsageException("perf needs -s or -c HOST; " + USAGE);
        }
        if (server) {
            Bandwidth.server(port, once, tcp, out);
            return 0;
        }
        PrintStream text = json ? new PrintStream(java.io.OutputStream.nullOutputStream()) : out;
        Bandwidth.Result r = Bandwidth.client(host, port, time, omit, interval, parallel, reverse, tcp, text);
        if (json) {
            out.printf(java.util.Locale.ROOT, "{\"start\":{\"test_start\":{\"protocol\":\"%s\",\"num_streams\":%d,\"duration\":%s,\"reverse\":%d}},"
                    + "\"end\":{\"sum_sent\":{\"bytes\":%d,\"seconds\":%.6f,\"bits_per_second\":%.1f},"
                    + "\"sum_received\":{\"bytes\":%d,\"seconds\":%.6f,\"bits_per_second\":%.1f},\"mptcp_subflows\":%d}}%n",
                    tcp ? "TCP" : "MPTCP", parallel, time, reverse ? 1 : 0, r.sent(), r.seconds(), r.sent() * 8 / r.seconds(),
                    r.received(), r.seconds(), r.receiverBitsPerSecond(), r.lastInfo().map(i -> i.subflows().size()).orElse(0));
        }
        if (subflows && r.lastInfo().isPresent()) {
            out.println();
            out.println("subflows of this connection (from MPTCP_FULL_INFO):");
            List<String> table = Bandwidth.subflowTable(r.lastInfo().get());
            table.forEach(out::println);
        }
        return r.received() >= 0 ? 0 : 1;
    }
}
