package org.mptcp4j.cli;

/**
 * One run of {@code mptcp4j perf}, iperf3's options: server ({@code -s}, {@code -1}) or client
 * ({@code -c HOST}, {@code -t}, {@code -i}, {@code -P}, {@code -R}, {@code -O}, {@code -J}); {@code --tcp}
 * for plain TCP, {@code --subflows} for the per-subflow table at the end.
 */
record PerfOptions(boolean server, String host, int port, double seconds, int omit, double interval, int parallel,
                   boolean reverse, boolean tcp, boolean once, boolean json, boolean subflows, int rcvTimeoutMillis) {

    /** iperf3's default idle bound on a running test ({@code --rcv-timeout}). */
    static final int RCV_TIMEOUT_MILLIS = 120_000;

    static final String SYNOPSIS = "perf -s [-p PORT] [-1] [--tcp] [--rcv-timeout MS] | -c HOST [-p PORT] [-t SEC] [-i SEC] [-P N] [-R] [-O SEC] [-J] [--tcp] [--subflows]";

    static PerfOptions parse(Args args) throws UsageException {
        Boolean server = null;
        String host = null;
        int port = 5201;
        double seconds = 10;
        double interval = 1;
        boolean once = false;
        boolean tcp = false;
        boolean subflows = false;
        int parallel = 1;
        int omit = 0;
        boolean reverse = false;
        boolean json = false;
        int rcvTimeout = RCV_TIMEOUT_MILLIS;
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "-s": case "--server": server = true; break;
                case "-c": case "--client": server = false; host = args.value(a); break;
                case "-p": case "--port": port = Args.port(args.value(a)); break;
                case "-t": case "--time": seconds = args.doubleValue(a, 0.1, 86_400); break;
                case "-i": case "--interval": interval = args.doubleValue(a, 0.1, 60); break;
                case "-1": case "--one-off": once = true; break;
                case "--tcp": tcp = true; break;
                case "--subflows": subflows = true; break;
                case "-P": case "--parallel": parallel = args.intValue(a, 1, 128); break;
                case "-R": case "--reverse": reverse = true; break;
                case "-J": case "--json": json = true; break;
                case "-O": case "--omit": omit = args.intValue(a, 0, 600); break;
                case "--rcv-timeout": rcvTimeout = args.intValue(a, 100, 86_400_000); break;
                default: throw new UsageException("unknown perf option: " + a + "; usage: mptcp4j " + SYNOPSIS);
            }
        }
        if (server == null) {
            throw new UsageException("perf needs -s or -c HOST; usage: mptcp4j " + SYNOPSIS);
        }
        return new PerfOptions(server, host, port, seconds, omit, interval, parallel, reverse, tcp, once, json, subflows, rcvTimeout);
    }

    /** Options for a client test (the benchmarks and tests build them directly). */
    static PerfOptions client(String host, int port, double seconds, int omit, double interval, int parallel, boolean reverse, boolean tcp) {
        return new PerfOptions(false, host, port, seconds, omit, interval, parallel, reverse, tcp, false, false, false, RCV_TIMEOUT_MILLIS);
    }
}
