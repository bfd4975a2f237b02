package org.mptcp4j.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.mptcp4j.Mptcp;

/** The server side: serves iperf3 clients (ours or real ones), one test at a time, until killed or after one ({@code -1}). */
final class PerfServer {
    private PerfServer() {}

    /** The most streams one test may ask for (iperf3's own limit on -P). */
    static final int MAX_STREAMS = 128;

    static void run(PerfOptions o, PrintStream out) throws IOException {
        PrintStream text = o.json() ? new PrintStream(OutputStream.nullOutputStream()) : out;
        try (ServerSocketChannel listener = o.tcp() ? ServerSocketChannel.open() : Mptcp.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(o.port()));
            do {
                text.println("-----------------------------------------------------------");
                text.println("Server listening on " + ((InetSocketAddress) listener.getLocalAddress()).getPort()
                        + " (" + Mptcp.status(listener) + ")");
                text.println("-----------------------------------------------------------");
                text.flush();
                try (SocketChannel control = listener.accept()) {
                    PerfJson json = serve(listener, control, o, text);
                    if (o.json()) {
                        out.println(json);
                        out.flush();
                    }
                } catch (IOException e) {
                    out.println("mptcp4j perf: test failed: " + e.getMessage()); // the server goes on with the next client
                    out.flush();
                }
            } while (!o.once());
        }
    }

    private static PerfJson serve(ServerSocketChannel listener, SocketChannel control, PerfOptions o, PrintStream text) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) control.getRemoteAddress();
        text.println("Accepted connection from " + peer.getAddress().getHostAddress() + ", port " + peer.getPort()
                + " (" + Mptcp.status(control) + ")");
        ByteBuffer cookie = ByteBuffer.allocate(Iperf3.COOKIE_SIZE);
        Iperf3.readFully(control, cookie);
        Iperf3.sendState(control, Iperf3.PARAM_EXCHANGE);
        JsonObject params = Iperf3.readJson(control);
        if (Iperf3.flag(params, "udp") || Iperf3.flag(params, "sctp")) {
            Iperf3.sendState(control, Iperf3.ACCESS_DENIED);
            throw new IOException("the client asked for a " + (Iperf3.flag(params, "udp") ? "UDP" : "SCTP") + " test; perf serves TCP and MPTCP");
        }
        double asked = Iperf3.number(params, "parallel", 1);
        if (asked < 1 || asked > MAX_STREAMS) {
            Iperf3.sendState(control, Iperf3.ACCESS_DENIED);
            throw new IOException("the client asked for " + (long) asked + " streams (expected 1-" + MAX_STREAMS + ")");
        }
        int parallel = (int) asked;
        int omit = (int) Math.max(0, Iperf3.number(params, "omit", 0));
        boolean reverse = Iperf3.flag(params, "reverse");
        boolean sender = reverse;
        PerfJson json = new PerfJson(sender);
        json.test(false, peer, new String(cookie.array(), 0, Iperf3.COOKIE_SIZE - 1, StandardCharsets.US_ASCII), control, parallel, omit,
                (long) Iperf3.number(params, "time", 10), reverse);
        Iperf3.sendState(control, Iperf3.CREATE_STREAMS);
        try (PerfStreams streams = new PerfStreams()) {
            for (int i = 0; i < parallel; i++) {
                SocketChannel s = listener.accept();
                streams.add(s);
                ByteBuffer c = ByteBuffer.allocate(Iperf3.COOKIE_SIZE);
                Iperf3.readFully(s, c);
                if (!Arrays.equals(c.array(), cookie.array())) {
                    throw new IOException("a data connection presented another test's cookie");
                }
                streams.describe(i, text);
                json.connected(PerfMeter.socket(i), s);
            }
            Iperf3.sendState(control, Iperf3.TEST_START);
            Iperf3.sendState(control, Iperf3.TEST_RUNNING);
            CpuUse.Mark mark = CpuUse.mark();
            streams.start(sender);
            PerfMeter meter = new PerfMeter(streams, sender, o.interval(), text);
            meter.start(omit);
            byte state;
            try {
                do {
                    state = Iperf3.readState(control);
                } while (state != Iperf3.TEST_END && state != Iperf3.CLIENT_TERMINATE && state != Iperf3.IPERF_DONE);
            } finally {
                meter.stop();
                streams.stop();
            }
            CpuUse cpu = mark.since();
            if (state != Iperf3.TEST_END) {
                throw new IOException("the client ended the test early (state " + state + ")");
            }
            List<PerfMeter.StreamTotal> totals = meter.totals();
            Iperf3.sendState(control, Iperf3.EXCHANGE_RESULTS);
            JsonObject theirs = Iperf3.readJson(control); // the client sends its results first
            Iperf3.sendJson(control, Iperf3.results(totals, sender, cpu, Iperf3.congestion()));
            Iperf3.sendState(control, Iperf3.DISPLAY_RESULTS);
            try {
                Iperf3.readState(control); // IPERF_DONE
            } catch (IOException ignored) {
                // a client that closes instead of saying goodbye is fine
            }
            PerfEnd end = PerfEnd.of(sender, totals, meter.seconds(), theirs, cpu, Iperf3.congestion());
            end.print(text);
            json.intervals(meter.allIntervals());
            json.end(end);
            for (int i = 0; i < streams.size(); i++) {
                json.subflows(i, PerfClient.info(streams.channel(i)));
            }
            return json;
        }
    }
}
