package org.mptcp4j.benchmarks.programs;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.Mptcp;

/**
 * What one metrics sample costs ({@code Mptcp.connections()}: sock_diag dump, /proc/self/fd walk,
 * MPTCP_FULL_INFO per connection) with N MPTCP connections open in this process (both ends here, so
 * 2N sockets), side by side with {@code ss -HMni} listing the same namespace (the native anchor).
 * Usage: SampleCost N ROUNDS; run it in a fresh namespace (benchmarks/sample-cost.sh).
 */
public final class SampleCost {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<SocketChannel> open = new ArrayList<>();
        try (ServerSocketChannel listener = Mptcp.strict().openServerSocketChannel()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0), n);
            for (int i = 0; i < n; i++) {
                SocketChannel c = Mptcp.strict().openSocketChannel();
                c.connect(listener.getLocalAddress());
                open.add(c);
                open.add(listener.accept());
            }
            int seen = Mptcp.connections().size();
            if (seen != 2 * n) {
                throw new IllegalStateException("sampled " + seen + " connections, expected " + 2 * n);
            }
            double[] ours = new double[rounds];
            double[] ss = new double[rounds];
            for (int r = 0; r < rounds; r++) { // interleaved, so both see the same machine state
                long t0 = System.nanoTime();
                Mptcp.connections();
                ours[r] = (System.nanoTime() - t0) / 1e6;
                t0 = System.nanoTime();
                Process p = new ProcessBuilder("ss", "-HMni").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("ss did not finish");
                }
                ss[r] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ours);
            Arrays.sort(ss);
            double warmOurs = ours[rounds / 2];
            double warmSs = ss[rounds / 2];
            System.out.printf("connections=%d sockets=%d rounds=%d  Mptcp.connections(): median %.2f ms, p90 %.2f ms  |  ss -HMni: median %.2f ms  |  ratio %.2f%n",
                    2 * n, 2 * n + 1, rounds, warmOurs, ours[rounds * 9 / 10], warmSs, warmOurs / warmSs);
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }
}
