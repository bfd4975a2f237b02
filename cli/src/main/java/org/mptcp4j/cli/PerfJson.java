package org.mptcp4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/**
 * {@code perf -J}: one test as iperf3 3.12 writes it with {@code -J} ({@code start}, {@code intervals},
 * {@code end}, the same keys and number kinds), so a program that reads iperf3's JSON reads this. What
 * iperf3 has no key for (each stream's MPTCP status and subflows) is under {@code mptcp4j}, which such a
 * program ignores.
 */
final class PerfJson {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final JsonObject root = new JsonObject();
    private final JsonObject start = new JsonObject();
    private final JsonArray connected = new JsonArray();
    private final JsonArray streams = new JsonArray();
    private final boolean localSender;

    PerfJson(boolean localSender) {
        this.localSender = localSender;
        root.add("start", start);
        start.add("connected", connected);
        start.addProperty("version", Main.version());
        start.addProperty("system_info", String.join(" ", System.getProperty("os.name"), hostName(), System.getProperty("os.version"),
                System.getProperty("os.arch")));
        Instant now = Instant.now();
        JsonObject timestamp = new JsonObject();
        timestamp.addProperty("time", TIME.format(now.atOffset(ZoneOffset.UTC)));
        timestamp.addProperty("timesecs", now.getEpochSecond());
        start.add("timestamp", timestamp);
    }

    /** The test's parameters, the control connection and its peer ({@code connecting_to} or {@code accepted_connection}). */
    void test(boolean client, InetSocketAddress peer, String cookie, SocketChannel control, int parallel, int omit, long duration,
              boolean reverse) {
        JsonObject to = new JsonObject();
        to.addProperty("host", client ? peer.getHostString() : peer.getAddress().getHostAddress());
        to.addProperty("port", peer.getPort());
        start.add(client ? "connecting_to" : "accepted_connection", to);
        start.addProperty("cookie", cookie);
        start.addProperty("tcp_mss_default", mss(control));
        start.addProperty("target_bitrate", 0);
        start.addProperty("sock_bufsize", 0); // no -w: the kernel's autotuning
        start.addProperty("sndbuf_actual", option(control, StandardSocketOptions.SO_SNDBUF));
        start.addProperty("rcvbuf_actual", option(control, StandardSocketOptions.SO_RCVBUF));
        JsonObject t = new JsonObject();
        t.addProperty("protocol", "TCP"); // MPTCP is TCP to iperf3's readers; each stream's status is under mptcp4j
        t.addProperty("num_streams", parallel);
        t.addProperty("blksize", PerfStreams.BLOCK);
        t.addProperty("omit", omit);
        t.addProperty("duration", duration);
        t.addProperty("bytes", 0);
        t.addProperty("blocks", 0);
        t.addProperty("reverse", reverse ? 1 : 0);
        t.addProperty("tos", 0);
        t.addProperty("target_bitrate", 0);
        start.add("test_start", t);
    }

    /** One data connection, as {@code start.connected} lists it. */
    void connected(int socket, SocketChannel channel) throws IOException {
        InetSocketAddress l = (InetSocketAddress) channel.getLocalAddress();
        InetSocketAddress r = (InetSocketAddress) channel.getRemoteAddress();
        JsonObject c = new JsonObject();
        c.addProperty("socket", socket);
        c.addProperty("local_host", l.getAddress().getHostAddress());
        c.addProperty("local_port", l.getPort());
        c.addProperty("remote_host", r.getAddress().getHostAddress());
        c.addProperty("remote_port", r.getPort());
        connected.add(c);
        JsonObject s = new JsonObject();
        s.addProperty("socket", socket);
        s.addProperty("status", Mptcp.status(channel).name());
        streams.add(s);
    }

    void intervals(List<PerfMeter.Interval> intervals) {
        JsonArray list = new JsonArray();
        for (PerfMeter.Interval iv : intervals) {
            JsonObject o = new JsonObject();
            JsonArray ss = new JsonArray();
            for (PerfMeter.StreamInterval s : iv.streams()) {
                JsonObject j = span(s.socket(), s.start(), s.end(), s.bytes());
                if (localSender) {
                    j.addProperty("retransmits", s.retransmits());
                    j.addProperty("snd_cwnd", s.cwndBytes());
                    j.addProperty("snd_wnd", 0); // not in MPTCP_FULL_INFO
                    j.addProperty("rtt", s.rttMicros());
                    j.addProperty("rttvar", s.rttVarMicros());
                    j.addProperty("pmtu", 0); // not in MPTCP_FULL_INFO
                }
                j.addProperty("omitted", s.omitted());
                j.addProperty("sender", localSender);
                ss.add(j);
            }
            o.add("streams", ss);
            PerfMeter.StreamInterval first = iv.first();
            JsonObject sum = span(-1, first.start(), first.end(), iv.bytes());
            if (localSender) {
                sum.addProperty("retransmits", iv.retransmits());
            }
            sum.addProperty("omitted", first.omitted());
            sum.addProperty("sender", localSender);
            o.add("sum", sum);
            list.add(o);
        }
        root.add("intervals", list);
    }

    void end(PerfEnd end) {
        JsonObject e = new JsonObject();
        JsonArray ss = new JsonArray();
        for (int i = 0; i < end.sent().size(); i++) {
            PerfEnd.Side s = end.sent().get(i);
            PerfMeter.StreamTotal mine = end.local().get(i);
            JsonObject sender = side(s);
            sender.addProperty("retransmits", s.retransmits());
            sender.addProperty("max_snd_cwnd", end.localSender() ? mine.maxCwndBytes() : 0);
            sender.addProperty("max_snd_wnd", 0); // not in MPTCP_FULL_INFO
            sender.addProperty("max_rtt", end.localSender() ? mine.maxRttMicros() : 0);
            sender.addProperty("min_rtt", end.localSender() ? mine.minRttMicros() : 0);
            sender.addProperty("mean_rtt", end.localSender() ? mine.meanRttMicros() : 0);
            sender.addProperty("sender", localSender);
            JsonObject receiver = side(end.received().get(i));
            receiver.addProperty("sender", localSender);
            JsonObject both = new JsonObject();
            both.add("sender", sender);
            both.add("receiver", receiver);
            ss.add(both);
        }
        e.add("streams", ss);
        JsonObject sumSent = side(end.sumSent());
        sumSent.addProperty("retransmits", end.sumSent().retransmits());
        sumSent.addProperty("sender", localSender);
        e.add("sum_sent", sumSent);
        JsonObject sumReceived = side(end.sumReceived());
        sumReceived.addProperty("sender", localSender);
        e.add("sum_received", sumReceived);
        JsonObject cpu = new JsonObject();
        number(cpu, "host_total", end.localCpu().totalPercent());
        number(cpu, "host_user", end.localCpu().userPercent());
        number(cpu, "host_system", end.localCpu().systemPercent());
        number(cpu, "remote_total", end.remoteCpu().totalPercent());
        number(cpu, "remote_user", end.remoteCpu().userPercent());
        number(cpu, "remote_system", end.remoteCpu().systemPercent());
        e.add("cpu_utilization_percent", cpu);
        e.addProperty("sender_tcp_congestion", end.localSender() ? end.localCongestion() : end.remoteCongestion());
        e.addProperty("receiver_tcp_congestion", end.localSender() ? end.remoteCongestion() : end.localCongestion());
        root.add("end", e);
        JsonObject ours = new JsonObject();
        ours.add("streams", streams);
        root.add("mptcp4j", ours);
    }

    /** Each stream's subflows at the end of the test (what iperf3 cannot say). */
    void subflows(int index, Optional<MptcpInfo> info) {
        if (index >= streams.size() || info.isEmpty()) {
            return;
        }
        JsonArray list = new JsonArray();
        for (SubflowInfo sf : info.get().subflows()) {
            JsonObject o = new JsonObject();
            o.addProperty("interface", sf.interfaceName().orElse(""));
            o.addProperty("local", Format.address(sf.local()));
            o.addProperty("remote", Format.address(sf.remote()));
            o.addProperty("bytes_sent", sf.bytesSent());
            o.addProperty("bytes_received", sf.bytesReceived());
            o.addProperty("rtt", sf.rttMicros());
            o.addProperty("snd_cwnd", (long) sf.congestionWindow() * sf.mss());
            o.addProperty("retransmits", sf.totalRetransmits());
            list.add(o);
        }
        streams.get(index).getAsJsonObject().add("subflows", list);
    }

    @Override
    public String toString() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }

    private static JsonObject side(PerfEnd.Side s) {
        return span(s.socket(), 0, s.seconds(), s.bytes());
    }

    private static JsonObject span(int socket, double from, double to, long bytes) {
        JsonObject j = new JsonObject();
        if (socket >= 0) {
            j.addProperty("socket", socket);
        }
        number(j, "start", micros(from));
        number(j, "end", micros(to));
        number(j, "seconds", micros(to - from));
        j.addProperty("bytes", bytes);
        number(j, "bits_per_second", to > from ? bytes * 8 / (to - from) : 0);
        return j;
    }

    /** Seconds to the microsecond, as iperf3 writes times. */
    private static double micros(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }

    /** A number as iperf3's JSON library writes it: integral values without a fraction, others in plain notation. */
    private static void number(JsonObject o, String key, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            o.addProperty(key, (long) v);
        } else {
            o.addProperty(key, BigDecimal.valueOf(v));
        }
    }

    private static int mss(SocketChannel control) {
        try {
            return Mptcp.info(control).flatMap(i -> i.subflows().stream().findFirst()).map(SubflowInfo::mss).orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int option(SocketChannel ch, SocketOption<Integer> option) {
        try {
            return ch.getOption(option);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(); // uname's, without a resolver lookup
        } catch (IOException e) {
            return "localhost";
        }
    }
}
