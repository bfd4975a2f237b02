package org.mptcp4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end of a test: each stream's totals as sent and as received, this side's measured and the peer's
 * from the results it exchanged, with both sides' CPU use and congestion control.
 */
record PerfEnd(boolean localSender, List<PerfMeter.StreamTotal> local, List<Side> sent, List<Side> received,
               CpuUse localCpu, CpuUse remoteCpu, String localCongestion, String remoteCongestion) {

    /** One direction of one stream (or of all of them). */
    record Side(int socket, double seconds, long bytes, long retransmits) {
        double bitsPerSecond() {
            return seconds > 0 ? bytes * 8 / seconds : 0;
        }
    }

    static PerfEnd of(boolean localSender, List<PerfMeter.StreamTotal> local, double seconds, JsonObject theirs, CpuUse cpu,
                      String congestion) {
        List<Side> mine = new ArrayList<>();
        List<Side> peer = new ArrayList<>();
        JsonArray streams = theirs.has("streams") && theirs.get("streams").isJsonArray() ? theirs.getAsJsonArray("streams") : new JsonArray();
        for (int i = 0; i < local.size(); i++) {
            PerfMeter.StreamTotal t = local.get(i);
            mine.add(new Side(t.socket(), seconds, t.bytes(), t.retransmits()));
            JsonObject s = i < streams.size() && streams.get(i).isJsonObject() ? streams.get(i).getAsJsonObject() : new JsonObject();
            double theirSeconds = Iperf3.number(s, "end_time", seconds) - Iperf3.number(s, "start_time", 0);
            peer.add(new Side(t.socket(), theirSeconds > 0 ? theirSeconds : seconds, (long) Iperf3.number(s, "bytes", 0),
                    Math.max(0, (long) Iperf3.number(s, "retransmits", 0))));
        }
        CpuUse remote = new CpuUse(Iperf3.number(theirs, "cpu_util_total", 0), Iperf3.number(theirs, "cpu_util_user", 0),
                Iperf3.number(theirs, "cpu_util_system", 0));
        JsonElement cc = theirs.get("congestion_used");
        String remoteCongestion = cc != null && cc.isJsonPrimitive() ? cc.getAsString() : "";
        return localSender ? new PerfEnd(true, local, mine, peer, cpu, remote, congestion, remoteCongestion)
                : new PerfEnd(false, local, peer, mine, cpu, remote, congestion, remoteCongestion);
    }

    static Side sum(List<Side> sides) {
        return new Side(-1, sides.stream().mapToDouble(Side::seconds).max().orElse(0), sides.stream().mapToLong(Side::bytes).sum(),
                sides.stream().mapToLong(Side::retransmits).sum());
    }

    Side sumSent() {
        return sum(sent);
    }

    Side sumReceived() {
        return sum(received);
    }

    /** iperf3's summary: a sender and a receiver line per stream, and their sums for more than one. */
    void print(PrintStream out) {
        out.println("- - - - - - - - - - - - - - - - - - - - - - - - -");
        out.println("[ ID] Interval           Transfer     Bitrate         Retr");
        for (int i = 0; i < sent.size(); i++) {
            print(out, String.format(Locale.ROOT, "[%3d]", sent.get(i).socket()), sent.get(i), received.get(i));
        }
        if (sent.size() > 1) {
            print(out, "[SUM]", sumSent(), sumReceived());
        }
        out.printf(Locale.ROOT, "CPU Utilization: local/%s %.1f%% (%.1f%%u/%.1f%%s), remote/%s %.1f%% (%.1f%%u/%.1f%%s)%n",
                localSender ? "sender" : "receiver", localCpu.totalPercent(), localCpu.userPercent(), localCpu.systemPercent(),
                localSender ? "receiver" : "sender", remoteCpu.totalPercent(), remoteCpu.userPercent(), remoteCpu.systemPercent());
        out.flush();
    }

    private static void print(PrintStream out, String id, Side s, Side r) {
        out.printf(Locale.ROOT, "%s   0.00-%-6.2f sec  %12s  %16s  %4d             sender%n", id, s.seconds(),
                Format.bytes(s.bytes()), Format.bitrate(s.bitsPerSecond()), s.retransmits());
        out.printf(Locale.ROOT, "%s   0.00-%-6.2f sec  %12s  %16s                  receiver%n", id, r.seconds(),
                Format.bytes(r.bytes()), Format.bitrate(r.bitsPerSecond()));
    }
}
