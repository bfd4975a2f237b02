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

/**
 * The server side: serves iperf3 clients (ours or real ones), one test at a time, until killed or after
 * one ({@code -1}). No client can hold it: each step of the handshake has {@link #HANDSHAKE_MILLIS}, a
 * running test ends when no data moved for {@code --rcv-timeout} (iperf3's 120 s) or 30 s after its
 * announced length, and a connection with a foreign cookie while streams are expected is denied as
 * iperf3 denies it. Clients that arrive meanwhile wait in the listen queue.
 */
final class PerfServer {
    private PerfServer() {}

    /** The most streams one test may ask for (iperf3's own limit on -P). */
    static final int MAX_STREAMS = 128;
    /** How long one step of the handshake may take a client (cookie, parameters, each stream, results). */
    static final int HANDSHAKE_MILLIS = 10_000;

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
        JsonObject params;
        try (Deadline d = Deadline.after(HANDSHAKE_MILLIS, "the client sent no cookie and parameters within " + HANDSHAKE_MILLIS / 1000 + " s",
                List.of(control))) {
            try {
                Iperf3.readFully(control, cookie);
                Iperf3.sendState(control, Iperf3.PARAM_EXCHANGE);
                params = Iperf3.readJson(control);
            } catch (IOException e) {
                throw d.check(e);
            }
        }
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
        double seconds = Iperf3.number(params, "time", 10);
        boolean reverse = Iperf3.flag(params, "reverse");
        boolean sender = reverse;
        PerfJson json = new PerfJson(sender);
        json.test(false, peer, new String(cookie.array(), 0, Iperf3.COOKIE_SIZE - 1, StandardCharsets.US_ASCII), control, parallel, omit,
                (long) seconds, reverse);
        Iperf3.sendState(control, Iperf3.CREATE_STREAMS);
        try (PerfStreams streams = new PerfStreams()) {
            acceptStreams(listener, cookie.array(), parallel, streams, json, text);
            Iperf3.sendState(control, Iperf3.TEST_START);
            Iperf3.sendState(control, Iperf3.TEST_RUNNING);
            CpuUse.Mark mark = CpuUse.mark();
            streams.start(sender);
            PerfMeter meter = new PerfMeter(streams, sender, o.interval(), text);
            meter.start(omit);
            byte state;
            List<java.io.Closeable> all = new java.util.ArrayList<>(List.of(control));
            for (int i = 0; i < streams.size(); i++) {
                all.add(streams.channel(i));
            }
            java.util.function.BooleanSupplier quiet = Deadline.stillFor(() -> {
                long total = 0;
                for (long c : streams.counts()) {
                    total += c;
                }
                return total;
            }, o.rcvTimeoutMillis());
            String silent = "no data moved for " + o.rcvTimeoutMillis() + " ms (--rcv-timeout)";
            try (Deadline d = seconds > 0
                    ? Deadline.afterOrQuiet((long) ((omit + seconds) * 1000) + 30_000,
                            "the client did not end the test within 30 s of its announced length", quiet, silent, all)
                    : Deadline.whenQuiet(quiet, silent, all)) {
                try {
                    do {
                        state = Iperf3.readState(control);
                    } while (state != Iperf3.TEST_END && state != Iperf3.CLIENT_TERMINATE && state != Iperf3.IPERF_DONE);
                } catch (IOException e) {
                    IOException why = d.check(e);
                    throw why != e ? why : new IOException("the test ended without the client: " + e.getMessage(), e);
                }
            } finally {
                meter.stop();
                streams.stop();
            }
            CpuUse cpu = mark.since();
            if (state != Iperf3.TEST_END) {
                throw new IOException("the client ended the test early (state " + state + ")");
            }
            List<PerfMeter.StreamTotal> totals = meter.totals();
            JsonObject theirs;
            try (Deadline d = Deadline.after(HANDSHAKE_MILLIS, "the client sent no results within " + HANDSHAKE_MILLIS / 1000 + " s",
                    List.of(control))) {
                try {
                    Iperf3.sendState(control, Iperf3.EXCHANGE_RESULTS);
                    theirs = Iperf3.readJson(control); // the client sends its results first
                    Iperf3.sendJson(control, Iperf3.results(totals, sender, cpu, Iperf3.congestion()));
                    Iperf3.sendState(control, Iperf3.DISPLAY_RESULTS);
                } catch (IOException e) {
                    throw d.check(e);
                }
                try {
                    Iperf3.readState(control); // IPERF_DONE
                } catch (IOException ignored) {
                    // a client that closes instead of saying goodbye is fine
                }
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

    /**
     * The test's data connections, each within the handshake bound; a connection with another cookie
     * (a second client arriving now) is told ACCESS_DENIED, as iperf3 tells it, and the wait goes on.
     */
    private static void acceptStreams(ServerSocketChannel listener, byte[] cookie, int parallel, PerfStreams streams, PerfJson json,
                                      PrintStream text) throws IOException {
        java.net.ServerSocket adaptor = listener.socket();
        long end = System.nanoTime() + (long) HANDSHAKE_MILLIS * 1_000_000L * parallel;
        int i = 0;
        while (i < parallel) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new IOException("the client opened " + i + " of " + parallel + " streams in time");
            }
            SocketChannel s;
            try {
                adaptor.setSoTimeout((int) Math.min(left, HANDSHAKE_MILLIS));
                s = adaptor.accept().getChannel();
            } catch (java.net.SocketTimeoutException e) {
                throw new IOException("the client opened " + i + " of " + parallel + " streams within " + HANDSHAKE_MILLIS / 1000 + " s");
            } finally {
                adaptor.setSoTimeout(0);
            }
            ByteBuffer c = ByteBuffer.allocate(Iperf3.COOKIE_SIZE);
            try (Deadline d = Deadline.after(HANDSHAKE_MILLIS, "a stream sent no cookie", List.of(s))) {
                Iperf3.readFully(s, c);
            } catch (IOException e) {
                Relay.closeQuietly(s); // a silent or broken connection is not one of the test's streams
                continue;
            }
            if (!Arrays.equals(c.array(), cookie)) {
                try {
                    Iperf3.sendState(s, Iperf3.ACCESS_DENIED); // busy: iperf3's answer to a second client
                } catch (IOException ignored) {
                    // it went away
                }
                Relay.closeQuietly(s);
                continue;
            }
            streams.add(s);
            streams.describe(i, text);
            json.connected(PerfMeter.socket(i), s);
            i++;
        }
    }
}
