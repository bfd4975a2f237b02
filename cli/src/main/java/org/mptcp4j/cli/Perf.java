package org.mptcp4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/**
 * {@code mptcp4j perf}: a memory-to-memory bandwidth test that speaks iperf3's protocol (TCP, {@code -P}
 * streams, {@code -R} reverse, {@code -O} omit), so either side can be a real {@code iperf3}; its text
 * and {@code -J} output follow iperf3's.
 */
final class Perf {
    private Perf() {}

    static int run(Args args, PrintStream out) throws Exception {
        PerfOptions o = PerfOptions.parse(args);
        if (o.server()) {
            PerfServer.run(o, out);
            return 0;
        }
        PrintStream text = o.json() ? new PrintStream(OutputStream.nullOutputStream()) : out;
        PerfClient.Result r = PerfClient.run(o, text);
        if (o.json()) {
            out.println(r.json());
        }
        if (o.subflows() && r.lastInfo().isPresent()) {
            text.println();
            text.println("subflows of this connection (from MPTCP_FULL_INFO):");
            subflowTable(r.lastInfo().get()).forEach(text::println);
        }
        out.flush();
        return 0;
    }

    /** A per-subflow table: what pmrep cannot show. */
    static List<String> subflowTable(MptcpInfo info) {
        List<String> lines = new ArrayList<>();
        long total = Math.max(1, info.subflows().stream().mapToLong(SubflowInfo::bytesSent).sum());
        lines.add(String.format(Locale.ROOT, "%-6s %-22s %-22s %12s %6s %8s %6s", "iface", "local", "remote", "sent", "share", "rtt", "cwnd"));
        for (SubflowInfo sf : info.subflows()) {
            lines.add(String.format(Locale.ROOT, "%-6s %-22s %-22s %12s %5.1f%% %6.1fms %6d",
                    sf.interfaceName().orElse("?"), Format.address(sf.local()), Format.address(sf.remote()),
                    Format.bytes(sf.bytesSent()), 100.0 * sf.bytesSent() / total, sf.rttMicros() / 1000.0, sf.congestionWindow()));
        }
        return lines;
    }
}
