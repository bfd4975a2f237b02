package org.mptcp4j.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/**
 * A memory-to-memory bandwidth test with iperf3-style output (interval, transfer, bitrate,
 * retransmits, congestion window summed over the subflows). Protocol: the client sends for the
 * given time, half-closes; the server answers with the 8-byte count it received and closes.
 */
final class Bandwidth {
    private Bandwidth() {}

    /** Serves clients until killed (or one client when {@code once}). */
    static void server(int port, boolean once, boolean tcp, PrintStream out) throws IOException {
        try (ServerSocketChannel listener = tcp ? ServerSocketChannel.open() : Mptcp.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(port));
            out.println("-----------------------------------------------------------");
            out.println("Server listening on " + ((InetSocketAddress) listener.getLocalAddress()).getPort()
                    + " (" + Mptcp.status(listener) + ")");
            out.println("-----------------------------------------------------------");
            out.flush();
            do {
                try (SocketChannel conn = listener.accept()) {
                    serve(conn, out);
                } catch (IOException e) {
                    out.println("mptcp4j perf: connection failed: " + e.getMessage());
                }
            } while (!once);
        }
    }

    private static void serve(SocketChannel conn, PrintStream out) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) conn.getRemoteAddress();
        out.println("Accepted connection from " + peer.getAddress().getHostAddress() + ", port " + peer.getPort()
                + " (" + Mptcp.status(conn) + ")");
        out.flush();
        ByteBuffer buf = ByteBuffer.allocateDirect(256 << 10);
        long start = System.nanoTime();
        long total = 0;
        for (int n; (n = conn.read(buf)) >= 0; buf.clear()) {
            total += n;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        ByteBuffer answer = ByteBuffer.allocate(8).putLong(0, total);
        while (answer.hasRemaining()) {
            conn.write(answer);
        }
        out.printf(Locale.ROOT, "[  5]   0.00-%-6.2f sec  %12s  %16s                  receiver%n", secs,
                Units.bytes(total), Units.bitrate(total * 8 / secs));
        out.flush();
    }

    /** Result of a client run. */
    record Result(long sent, long received, double seconds, Optional<MptcpInfo> lastInfo) {
        double receiverBitsPerSecond() {
            return received * 8 / seconds;
        }
    }

    /** Sends to {@code host:port} for {@code seconds}, reporting every {@code interval} seconds. */
    static Result client(String host, int port, double seconds, double interval, boolean tcp, PrintStream out)
            throws IOException {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.isUnresolved()) {
            throw new IOException("unknown host: " + host);
        }
        try (SocketChannel ch = tcp ? SocketChannel.open() : Mptcp.openSocketChannel()) {
            ch.connect(target);
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            out.println("Connecting to host " + host + ", port " + port);
            out.println("[  5] local " + local.getAddress().getHostAddress() + " port " + local.getPort()
                    + " connected to " + target.getAddress().getHostAddress() + " port " + port + " (" + Mptcp.status(ch) + ")");
            out.println("[ ID] Interval           Transfer     Bitrate         Retr  Cwnd");
            out.flush();
            AtomicLong sent = new AtomicLong();
            long start = System.nanoTime();
            ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "perf-reporter");
                t.setDaemon(true);
                return t;
            });
            Reporter rep = new Reporter(ch, sent, start, out);
            long periodMillis = Math.max(100, (long) (interval * 1000));
            reporter.scheduleAtFixedRate(rep::report, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            ByteBuffer buf = ByteBuffer.allocateDirect(128 << 10);
            long end = start + (long) (seconds * 1e9);
            try {
                while (System.nanoTime() < end) {
                    buf.clear();
                    sent.addAndGet(ch.write(buf));
                }
            } finally {
                reporter.shutdownNow();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            Optional<MptcpInfo> info = Mptcp.info(ch);
            ch.shutdownOutput();
            ByteBuffer answer = ByteBuffer.allocate(8);
            while (answer.hasRemaining() && ch.read(answer) >= 0) {
                // wait for the server's byte count
            }
            long received = answer.hasRemaining() ? -1 : answer.getLong(0);
            double total = (System.nanoTime() - start) / 1e9;
            out.println("- - - - - - - - - - - - - - - - - - - - - - - - -");
            out.println("[ ID] Interval           Transfer     Bitrate         Retr");
            out.printf(Locale.ROOT, "[  5]   0.00-%-6.2f sec  %12s  %16s  %4d             sender%n", secs,
                    Units.bytes(sent.get()), Units.bitrate(sent.get() * 8 / secs), rep.retransmits(info));
            out.printf(Locale.ROOT, "[  5]   0.00-%-6.2f sec  %12s  %16s                  receiver%n", total,
                    Units.bytes(received), Units.bitrate(received * 8 / total));
            out.flush();
            return new Result(sent.get(), received, total, info);
        }
    }

    /** Prints one iperf3-style interval line per tick. */
    private static final class Reporter {
        private final SocketChannel ch;
        private final AtomicLong sent;
        private final PrintStream out;
        private long lastBytes;
        private long lastNanos;
        private final long start;
        private long lastRetrans;

        Reporter(SocketChannel ch, AtomicLong sent, long start, PrintStream out) {
            this.ch = ch;
            this.sent = sent;
            this.start = start;
            this.lastNanos = start;
            this.out = out;
        }

        void report() {
            long now = System.nanoTime();
            long bytes = sent.get();
            Optional<MptcpInfo> info;
            try {
                info = Mptcp.info(ch);
            } catch (IOException e) {
                info = Optional.empty();
            }
            long retrans = retransmits(info);
            long cwndBytes = info.map(i -> i.subflows().stream().mapToLong(s -> (long) s.congestionWindow() * s.mss()).sum()).orElse(0L);
            double from = (lastNanos - start) / 1e9;
            double to = (now - start) / 1e9;
            double secs = (now - lastNanos) / 1e9;
            out.printf(Locale.ROOT, "[  5] %6.2f-%-6.2f sec  %12s  %16s  %4d   %s%s%n", from, to,
                    Units.bytes(bytes - lastBytes), Units.bitrate((bytes - lastBytes) * 8 / secs),
                    retrans - lastRetrans, Units.bytes(cwndBytes),
                    info.map(i -> "  (" + i.subflows().size() + " subflows)").orElse(""));
            out.flush();
            lastBytes = bytes;
            lastNanos = now;
            lastRetrans = retrans;
        }

        long retransmits(Optional<MptcpInfo> info) {
            return info.map(i -> i.subflows().stream().mapToLong(SubflowInfo::totalRetransmits).sum()).orElse(0L);
        }
    }

    /** Bytes sent per interface according to the connection's subflows. */
    static Map<String, Long> bytesPerInterface(MptcpInfo info) {
        Map<String, Long> m = new HashMap<>();
        for (SubflowInfo sf : info.subflows()) {
            m.merge(sf.interfaceName().orElse("?"), sf.bytesSent(), Long::sum);
        }
        return m;
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
