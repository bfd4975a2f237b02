package org.mptcp4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mptcp4j.pm.Subflows;

/**
 * {@code mptcp4j ifstat [-t SEC] [-n COUNT] [--subflows] [-j]}: bytes/s per interface in the shape of
 * the seed's {@code pmrep network.interface.in.bytes} output, and with {@code --subflows} which MPTCP
 * subflow carried what in each interval (per connection token), which pmrep cannot show; {@code -j}: one
 * JSON object per sample (JSON lines).
 */
final class IfStat {
    private IfStat() {}

    static int run(Args args, PrintStream out) throws Exception {
        double interval = 1;
        int count = Integer.MAX_VALUE;
        boolean subflows = false;
        boolean json = false;
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "-t": interval = args.doubleValue(a, 0.1, 3600); break;
                case "-n": count = args.intValue(a, 1, 1_000_000); break;
                case "--subflows": subflows = true; break;
                case "-j": case "--json": json = true; break;
                default: throw new UsageException("unknown ifstat option: " + a + " (expected -t SEC, -n COUNT, --subflows, -j)");
            }
        }
        long self = ProcessHandle.current().pid();
        Map<String, InterfaceCounters.Counters> last = InterfaceCounters.read(self);
        List<String> devs = new ArrayList<>(last.keySet());
        if (!json) {
            Format.pmrepHeader(devs, "n.i.in.bytes", out);
        }
        Map<String, Subflows.Subflow> lastSf = subflows ? index(Subflows.ofNamespace()) : Map.of();
        long start = System.nanoTime();
        for (int i = 1; i <= count; i++) {
            long next = start + (long) (i * interval * 1e9);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the sampling period
            }
            Map<String, InterfaceCounters.Counters> now = InterfaceCounters.read(self);
            if (json) {
                // JSON lines: one object per sample, bytes/s received per interface (and per subflow)
                JsonObject sample = new JsonObject();
                sample.addProperty("seconds", i * interval);
                JsonObject ifs = new JsonObject();
                for (String d : devs) {
                    InterfaceCounters.Counters a = last.get(d);
                    InterfaceCounters.Counters b = now.get(d);
                    ifs.addProperty(d, a == null || b == null ? 0 : Math.round((b.rxBytes() - a.rxBytes()) / interval));
                }
                sample.add("in_bytes_per_second", ifs);
                if (subflows) {
                    Map<String, Subflows.Subflow> nowSf = index(Subflows.ofNamespace());
                    JsonArray list = new JsonArray();
                    for (Subflows.Subflow sf : nowSf.values()) {
                        Subflows.Subflow before = lastSf.get(sf.key());
                        JsonObject o = new JsonObject();
                        o.addProperty("token", String.format(Locale.ROOT, "%08x", sf.token()));
                        o.addProperty("dev", sf.device().orElse(""));
                        o.addProperty("local", Format.address(sf.local()));
                        o.addProperty("remote", Format.address(sf.remote()));
                        o.addProperty("sent_bytes_per_second", before == null ? 0 : Math.round((sf.bytesAcked() - before.bytesAcked()) / interval));
                        o.addProperty("received_bytes_per_second",
                                before == null ? 0 : Math.round((sf.bytesReceived() - before.bytesReceived()) / interval));
                        o.addProperty("rtt_us", sf.rttMicros());
                        o.addProperty("cwnd", sf.cwnd());
                        list.add(o);
                    }
                    sample.add("subflows", list);
                    lastSf = nowSf;
                }
                out.println(sample);
                out.flush();
                last = now;
                continue;
            }
            StringBuilder in = new StringBuilder(String.format(Locale.ROOT, "%8.0fs ", i * interval));
            for (String d : devs) {
                InterfaceCounters.Counters a = last.get(d);
                InterfaceCounters.Counters b = now.get(d);
                in.append(String.format(Locale.ROOT, " %15.0f", a == null || b == null ? 0.0 : (b.rxBytes() - a.rxBytes()) / interval));
            }
            out.println(in);
            last = now;
            if (subflows) {
                Map<String, Subflows.Subflow> nowSf = index(Subflows.ofNamespace());
                for (Subflows.Subflow sf : nowSf.values()) {
                    Subflows.Subflow before = lastSf.get(sf.key());
                    long sent = before == null ? 0 : sf.bytesAcked() - before.bytesAcked();
                    long recv = before == null ? 0 : sf.bytesReceived() - before.bytesReceived();
                    out.printf(Locale.ROOT, "          token=%08x %-6s %-22s -> %-22s sent %12.0f B/s  recv %12.0f B/s  rtt %6.1f ms  cwnd %d%n",
                            sf.token(), sf.device().orElse("?"), Format.address(sf.local()), Format.address(sf.remote()),
                            sent / interval, recv / interval, sf.rttMicros() / 1000.0, sf.cwnd());
                }
                lastSf = nowSf;
            }
            out.flush();
        }
        return 0;
    }

    private static Map<String, Subflows.Subflow> index(List<Subflows.Subflow> list) {
        Map<String, Subflows.Subflow> m = new HashMap<>();
        for (Subflows.Subflow s : list) {
            m.put(s.key(), s);
        }
        return m;
    }
}
