package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/**
 * A memory-to-memory bandwidth test that speaks iperf3's protocol (TCP, {@code -P} streams,
 * {@code -R} reverse), so either side can be a real {@code iperf3}. Output follows iperf3's shape:
 * interval, transfer, bitrate, and on the sender retransmits and congestion window summed over the
 * MPTCP subflows.
 */
final class Bandwidth {
    private Bandwidth() {}

    /** What one test measured. */
    record Result(long sent, long received, double seconds, Optional<MptcpInfo> lastInfo) {
        double receiverBitsPerSecond() {
            return received * 8 / seconds;
        }
    }

    // ------------------------------------------------------------------ server

    /** Serves iperf3 clients (ours or real ones) until killed, or one test when {@code once}. */
    static void server(int port, boolean once, boolean tcp, PrintStream out) throws IOException {
        try (ServerSocketChannel listener = tcp ? ServerSocketChannel.open() : Mptcp.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(port));
            do {
                out.println("-----------------------------------------------------------");
                out.println("Server listening on " + ((InetSocketAddress) listener.getLocalAddress()).getPort()
                        + " (" + Mptcp.status(listener) + ")");
                out.println("-----------------------------------------------------------");
                out.flush();
                try (SocketChannel ctrl = listener.accept()) {
                    serveTest(listener, ctrl, out);
                } catch (IOException e) {
                    out.println("mptcp4j perf: test failed: " + e.getMessage());
                    if (System.getenv("MPTCP4J_DEBUG") != null) {
                        e.printStackTrace(out);
                    }
                    out.flush();
                }
            } while (!once);
        }
    }

    private static void serveTest(ServerSocketChannel listener, SocketChannel ctrl, PrintStream out) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) ctrl.getRemoteAddress();
        out.println("Accepted connection from " + peer.getAddress().getHostAddress() + ", port " + peer.getPort()
                + " (" + Mptcp.status(ctrl) + ")");
        ByteBuffer cookie = ByteBuffer.allocate(Iperf3.COOKIE_SIZE);
        Iperf3.readFully(ctrl, cookie);
        Iperf3.sendState(ctrl, Iperf3.PARAM_EXCHANGE);
        String params = Iperf3.readJson(ctrl);
        if (Iperf3.bool(params, "udp") || Iperf3.bool(params, "sctp")) {
            Iperf3.sendState(ctrl, Iperf3.ACCESS_DENIED);
            throw new IOException("only TCP tests are supported (client asked for " + params + ")");
        }
        int parallel = (int) Math.max(1, Iperf3.number(params, "parallel", 1));
        int omit = (int) Math.max(0, Iperf3.number(params, "omit", 0));
        boolean reverse = Iperf3.bool(params, "reverse");
        Iperf3.sendState(ctrl, Iperf3.CREATE_STREAMS);
        List<SocketChannel> streams = new ArrayList<>();
        try {
            for (int i = 0; i < parallel; i++) {
                SocketChannel s = listener.accept();
                streams.add(s);
                ByteBuffer c = ByteBuffer.allocate(Iperf3.COOKIE_SIZE);
                Iperf3.readFully(s, c);
                if (!Arrays.equals(c.array(), cookie.array())) {
                    throw new IOException("a data connection presented another test's cookie");
                }
                describe(s, out);
            }
            Iperf3.sendState(ctrl, Iperf3.TEST_START);
            Iperf3.sendState(ctrl, Iperf3.TEST_RUNNING);
            Workers w = new Workers(streams, reverse);
            long[] start = {System.nanoTime() + omit * 1_000_000_000L};
            w.start();
            Reporter rep = new Reporter(streams.get(0), w.bytes, start[0], out, reverse);
            ScheduledExecutorService ticker = ticker(rep, 1.0);
            if (omit > 0) {
                ticker.schedule(w::rebase, omit, TimeUnit.SECONDS); // the client omits its warm-up: so do the counts
            }
            byte state;
            try {
                do {
                    state = Iperf3.readState(ctrl);
                } while (state != Iperf3.TEST_END && state != Iperf3.CLIENT_TERMINATE && state != Iperf3.IPERF_DONE);
            } finally {
                ticker.shutdownNow();
                w.stop();
            }
            double secs = (System.nanoTime() - start[0]) / 1e9;
            if (state != Iperf3.TEST_END) {
                throw new IOException("the client ended the test early (state " + state + ")");
            }
            Iperf3.sendState(ctrl, Iperf3.EXCHANGE_RESULTS);
            String theirs = Iperf3.readJson(ctrl);
            Iperf3.sendJson(ctrl, Iperf3.results(w.perStream(), reverse ? rep.retransmits(info(streams.get(0))) : -1, secs));
            Iperf3.sendState(ctrl, Iperf3.DISPLAY_RESULTS);
            try {
                Iperf3.readState(ctrl); // IPERF_DONE
            } catch (IOException ignored) {
                // a client that closes instead of saying goodbye is fine
            }
            long mine = w.total();
            out.println("- - - - - - - - - - - - - - - - - - - - - - - - -");
            out.println("[ ID] Interval           Transfer     Bitrate");
            if (reverse) {
                out.printf(Locale.ROOT, "[  5]   0.00-%-6.2f sec  %12s  %16s                  sender%n", secs, Units.bytes(mine), Units.bitrate(mine * 8 / secs));
            } else {
                out.printf(Locale.ROOT, "[  5]   0.00-%-6.2f sec  %12s  %16s                  receiver%n", secs, Units.bytes(mine), Units.bitrate(mine * 8 / secs));
            }
            out.flush();
            if (theirs.isEmpty()) {
                out.println("(the client sent no results)");
            }
        } finally {
            streams.forEach(Relay::closeQuietly);
        }
    }

    // ------------------------------------------------------------------ client

    /** Runs one test against an iperf3 server (ours or a real one). */
    static Result client(String host, int port, double seconds, double interval, int parallel, boolean reverse, boolean tcp, PrintStream out)
            throws IOException {
        return client(host, port, seconds, 0, interval, parallel, reverse, tcp, out);
    }

    /** As above, omitting the first {@code omit} seconds (slow start, JIT warm-up) from the results, like iperf3 -O. */
    static Result client(String host, int port, double seconds, int omit, double interval, int parallel, boolean reverse, boolean tcp,
                         PrintStream out) throws IOException {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.isUnresolved()) {
            throw new IOException("unknown host: " + host);
        }
        List<SocketChannel> streams = new ArrayList<>();
        try (SocketChannel ctrl = open(tcp)) {
            ctrl.connect(target);
            out.println("Connecting to host " + host + ", port " + port + (reverse ? "\nReverse mode, remote host " + host + " is sending" : ""));
            byte[] cookie = Iperf3.newCookie();
            Iperf3.writeFully(ctrl, ByteBuffer.wrap(cookie));
            Workers w = null;
            Reporter rep = null;
            long start = 0;
            double secs = 0;
            String theirs = "";
            Optional<MptcpInfo> last = Optional.empty();
            while (true) {
                byte state = Iperf3.readState(ctrl);
                switch (state) {
                    case Iperf3.PARAM_EXCHANGE:
                        Iperf3.sendJson(ctrl, String.format(Locale.ROOT, "{\"tcp\":true,\"omit\":%d,\"time\":%d,\"num\":0,\"blockcount\":0,"
                                + "\"parallel\":%d,%s\"len\":131072,\"pacing_timer\":1000,\"client_version\":\"3.12\"}",
                                omit, (long) Math.ceil(seconds), parallel, reverse ? "\"reverse\":true," : ""));
                        break;
                    case Iperf3.CREATE_STREAMS:
                        for (int i = 0; i < parallel; i++) {
                            SocketChannel s = open(tcp);
                            streams.add(s);
                            s.connect(target);
                            Iperf3.writeFully(s, ByteBuffer.wrap(cookie));
                            describe(s, out);
                        }
                        out.println(reverse ? "[ ID] Interval           Transfer     Bitrate" : "[ ID] Interval           Transfer     Bitrate         Retr  Cwnd");
                        out.flush();
                        break;
                    case Iperf3.TEST_START:
                    case Iperf3.IPERF_START:
                        break;
                    case Iperf3.TEST_RUNNING: {
                        w = new Workers(streams, !reverse);
                        w.start();
                        if (omit > 0) {
                            try {
                                Thread.sleep(omit * 1000L); // the omitted warm-up, not counted
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            w.rebase();
                        }
                        start = System.nanoTime();
                        rep = new Reporter(streams.get(0), w.bytes, start, out, !reverse);
                        ScheduledExecutorService ticker = ticker(rep, interval);
                        try {
                            Thread.sleep((long) (seconds * 1000)); // the test's duration
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            ticker.shutdownNow();
                        }
                        last = info(streams.get(0));
                        w.stop();
                        secs = (System.nanoTime() - start) / 1e9;
                        Iperf3.sendState(ctrl, Iperf3.TEST_END);
                        break;
                    }
                    case Iperf3.EXCHANGE_RESULTS:
                        Iperf3.sendJson(ctrl, Iperf3.results(w == null ? new long[parallel] : w.perStream(),
                                reverse || rep == null ? -1 : rep.retransmits(last), secs));
                        theirs = Iperf3.readJson(ctrl);
                        break;
                    case Iperf3.DISPLAY_RESULTS: {
                        Iperf3.sendState(ctrl, Iperf3.IPERF_DONE);
                        long mine = w == null ? 0 : w.total();
                        long other = Iperf3.streamBytes(theirs);
                        double otherSecs = Iperf3.number(theirs, "end_time", secs);
                        long sent = reverse ? other : mine;
                        long received = reverse ? mine : other;
                        out.println("- - - - - - - - - - - - - - - - - - - - - - - - -");
                        out.println("[ ID] Interval           Transfer     Bitrate         Retr");
                        out.printf(Locale.ROOT, "[  5]   0.00-%-6.2f sec  %12s  %16s  %4s             sender%n", reverse ? otherSecs : secs,
                                Units.bytes(sent), Units.bitrate(sent * 8 / (reverse ? otherSecs : secs)),
                                reverse || rep == null ? "" : Long.toString(rep.retransmits(last)));
                        out.printf(Locale.ROOT, "[  5]   0.00-%-6.2f sec  %12s  %16s                  receiver%n", reverse ? secs : otherSecs,
                                Units.bytes(received), Units.bitrate(received * 8 / (reverse ? secs : otherSecs)));
                        out.flush();
                        return new Result(sent, received, reverse ? secs : otherSecs, last);
                    }
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
        } finally {
            streams.forEach(Relay::closeQuietly);
        }
    }

    private static SocketChannel open(boolean tcp) throws IOException {
        return tcp ? SocketChannel.open() : Mptcp.openSocketChannel();
    }

    private static void describe(SocketChannel s, PrintStream out) throws IOException {
        InetSocketAddress l = (InetSocketAddress) s.getLocalAddress();
        InetSocketAddress r = (InetSocketAddress) s.getRemoteAddress();
        out.println("[  5] local " + l.getAddress().getHostAddress() + " port " + l.getPort() + " connected to "
                + r.getAddress().getHostAddress() + " port " + r.getPort() + " (" + Mptcp.status(s) + ")");
        out.flush();
    }

    private static Optional<MptcpInfo> info(SocketChannel ch) {
        try {
            return Mptcp.info(ch);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ScheduledExecutorService ticker(Reporter rep, double interval) {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "perf-reporter");
            th.setDaemon(true);
            return th;
        });
        long period = Math.max(100, (long) (interval * 1000));
        t.scheduleAtFixedRate(rep::report, period, period, TimeUnit.MILLISECONDS);
        return t;
    }

    /** One thread per stream, sending or receiving, counting bytes per stream. */
    private static final class Workers {
        final List<SocketChannel> streams;
        final boolean send;
        final AtomicLongArray bytes;
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Workers(List<SocketChannel> streams, boolean send) {
            this.streams = streams;
            this.send = send;
            this.bytes = new AtomicLongArray(streams.size());
        }

        void start() {
            for (int i = 0; i < streams.size(); i++) {
                int id = i;
                Thread t = new Thread(() -> loop(id), "perf-stream-" + (i + 1));
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void loop(int id) {
            SocketChannel ch = streams.get(id);
            ByteBuffer buf = ByteBuffer.allocateDirect(512 << 10);
            try {
                while (running.get()) {
                    buf.clear();
                    int n = send ? ch.write(buf) : ch.read(buf);
                    if (n < 0) {
                        return;
                    }
                    bytes.addAndGet(id, n);
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        }

        void stop() {
            running.set(false);
            if (send) {
                // a sender blocked in write() would keep the peer's receive path busy: stop it now,
                // as iperf3 does at TEST_END (the peer has stopped counting anyway)
                for (SocketChannel ch : streams) {
                    try {
                        ch.shutdownOutput();
                    } catch (IOException ignored) {
                        // already closed by the peer
                    }
                }
            }
            for (Thread t : threads) {
                try {
                    t.join(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Starts counting from zero (after an omitted warm-up). */
        void rebase() {
            for (int i = 0; i < bytes.length(); i++) {
                bytes.set(i, 0);
            }
        }

        long total() {
            long s = 0;
            for (int i = 0; i < bytes.length(); i++) {
                s += bytes.get(i);
            }
            return s;
        }

        long[] perStream() {
            long[] out = new long[bytes.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes.get(i);
            }
            return out;
        }
    }

    /** Prints one iperf3-style interval line per tick (all streams summed). */
    private static final class Reporter {
        private final SocketChannel first;
        private final AtomicLongArray bytes;
        private final PrintStream out;
        private final boolean sender;
        private final long start;
        private long lastBytes;
        private long lastNanos;
        private long lastRetrans;

        Reporter(SocketChannel first, AtomicLongArray bytes, long start, PrintStream out, boolean sender) {
            this.first = first;
            this.bytes = bytes;
            this.start = start;
            this.lastNanos = start;
            this.out = out;
            this.sender = sender;
        }

        void report() {
            long now = System.nanoTime();
            long total = 0;
            for (int i = 0; i < bytes.length(); i++) {
                total += bytes.get(i);
            }
            double from = (lastNanos - start) / 1e9;
            double to = (now - start) / 1e9;
            double secs = (now - lastNanos) / 1e9;
            String head = String.format(Locale.ROOT, "[  5] %6.2f-%-6.2f sec  %12s  %16s", from, to,
                    Units.bytes(total - lastBytes), Units.bitrate((total - lastBytes) * 8 / secs));
            if (sender) {
                Optional<MptcpInfo> info = info(first);
                long retrans = retransmits(info);
                long cwnd = info.map(i -> i.subflows().stream().mapToLong(s -> (long) s.congestionWindow() * s.mss()).sum()).orElse(0L);
                out.printf(Locale.ROOT, "%s  %4d   %s%s%n", head, retrans - lastRetrans, Units.bytes(cwnd),
                        info.map(i -> "  (" + i.subflows().size() + " subflows)").orElse(""));
                lastRetrans = retrans;
            } else {
                out.println(head);
            }
            out.flush();
            lastBytes = total;
            lastNanos = now;
        }

        long retransmits(Optional<MptcpInfo> info) {
            return info.map(i -> i.subflows().stream().mapToLong(SubflowInfo::totalRetransmits).sum()).orElse(0L);
        }
    }

    /** A per-subflow table: what pmrep cannot show. */
    static List<String> subflowTable(MptcpInfo info) {
        List<String> lines = new ArrayList<>();
        long total = Math.max(1, info.subflows().stream().mapToLong(SubflowInfo::bytesSent).sum());
        lines.add(String.format(Locale.ROOT, "%-6s %-22s %-22s %12s %6s %8s %6s", "iface", "local", "remote", "sent", "share", "rtt", "cwnd"));
        for (SubflowInfo sf : info.subflows()) {
            lines.add(String.format(Locale.ROOT, "%-6s %-22s %-22s %12s %5.1f%% %6.1fms %6d",
                    sf.interfaceName().orElse("?"), hostPort(sf.local()), hostPort(sf.remote()),
                    Units.bytes(sf.bytesSent()), 100.0 * sf.bytesSent() / total, sf.rttMicros() / 1000.0, sf.congestionWindow()));
        }
        return lines;
    }

    static String hostPort(InetSocketAddress a) {
        return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
