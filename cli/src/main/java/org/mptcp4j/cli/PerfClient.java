package org.mptcp4j.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;

/** The client side of a test: drives an iperf3 server (ours or a real one) through iperf3's states. */
final class PerfClient {
    private PerfClient() {}

    /** What one test measured, and its {@code -J} document. */
    record Result(PerfEnd end, Optional<MptcpInfo> lastInfo, PerfJson json) {}

    static Result run(PerfOptions o, PrintStream text) throws IOException {
        InetSocketAddress target = new InetSocketAddress(o.host(), o.port());
        if (target.isUnresolved()) {
            throw new IOException("unknown host: " + o.host());
        }
        boolean sender = !o.reverse();
        PerfJson json = new PerfJson(sender);
        try (SocketChannel control = open(o.tcp()); PerfStreams streams = new PerfStreams()) {
            control.connect(target);
            text.println("Connecting to host " + o.host() + ", port " + o.port());
            if (o.reverse()) {
                text.println("Reverse mode, remote host " + o.host() + " is sending");
            }
            byte[] cookie = Iperf3.newCookie();
            Iperf3.writeFully(control, ByteBuffer.wrap(cookie));
            json.test(true, target, new String(cookie, 0, Iperf3.COOKIE_SIZE - 1, StandardCharsets.US_ASCII), control, o.parallel(),
                    o.omit(), (long) Math.ceil(o.seconds()), o.reverse());
            PerfMeter meter = null;
            CpuUse cpu = CpuUse.NONE;
            Optional<MptcpInfo> last = Optional.empty();
            Result result = null;
            while (true) {
                byte state = Iperf3.readState(control);
                switch (state) {
                    case Iperf3.PARAM_EXCHANGE:
                        Iperf3.sendJson(control, Iperf3.parameters(o));
                        break;
                    case Iperf3.CREATE_STREAMS:
                        for (int i = 0; i < o.parallel(); i++) {
                            SocketChannel s = open(o.tcp());
                            streams.add(s);
                            s.connect(target);
                            Iperf3.writeFully(s, ByteBuffer.wrap(cookie));
                            streams.describe(i, text);
                            json.connected(PerfMeter.socket(i), s);
                        }
                        break;
                    case Iperf3.TEST_START:
                    case Iperf3.IPERF_START:
                        break;
                    case Iperf3.TEST_RUNNING: {
                        CpuUse.Mark mark = CpuUse.mark();
                        streams.start(sender);
                        meter = new PerfMeter(streams, sender, o.interval(), text);
                        meter.start(o.omit());
                        sleep(o.omit() + o.seconds()); // the test's length, omitted warm-up included (as iperf3)
                        last = info(streams.channel(0));
                        meter.stop();
                        streams.stop();
                        cpu = mark.since();
                        Iperf3.sendState(control, Iperf3.TEST_END);
                        break;
                    }
                    case Iperf3.EXCHANGE_RESULTS: {
                        List<PerfMeter.StreamTotal> totals = meter == null ? List.of() : meter.totals();
                        Iperf3.sendJson(control, Iperf3.results(totals, sender, cpu, Iperf3.congestion()));
                        JsonObject theirs = Iperf3.readJson(control);
                        PerfEnd end = PerfEnd.of(sender, totals, meter == null ? 0 : meter.seconds(), theirs, cpu, Iperf3.congestion());
                        if (meter != null) {
                            json.intervals(meter.allIntervals());
                        }
                        json.end(end);
                        for (int i = 0; i < streams.size(); i++) {
                            json.subflows(i, i == 0 ? last : info(streams.channel(i)));
                        }
                        result = new Result(end, last, json);
                        break;
                    }
                    case Iperf3.DISPLAY_RESULTS:
                        if (result == null) {
                            throw new IOException("the iperf3 server asked to display results before exchanging them");
                        }
                        Iperf3.sendState(control, Iperf3.IPERF_DONE);
                        result.end().print(text);
                        return result;
                    case Iperf3.ACCESS_DENIED:
                        throw new IOException("the iperf3 server denied the test (busy with another client, or a test it does not support)");
                    case Iperf3.SERVER_ERROR:
                        throw new IOException("the iperf3 server reported an error");
                    case Iperf3.SERVER_TERMINATE:
                        throw new IOException("the iperf3 server terminated the test");
                    default:
                        throw new IOException("unexpected iperf3 state " + state + " from the server");
                }
            }
        }
    }

    private static SocketChannel open(boolean tcp) throws IOException {
        return tcp ? SocketChannel.open() : Mptcp.openSocketChannel();
    }

    static Optional<MptcpInfo> info(SocketChannel ch) {
        try {
            return Mptcp.info(ch);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // ends the test early; the results say how long it ran
        }
    }
}
