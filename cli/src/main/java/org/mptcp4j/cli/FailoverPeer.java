package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.mptcp4j.Mptcp;

/**
 * The two ends of the failover run: a sender of a deterministic stream for a given time, and a
 * receiver that hashes everything and measures the longest gap between two reads (the stall an
 * application sees). Both print one machine-readable line at the end ({@code SENT}/{@code RECEIVED}).
 * With {@code --tcp} they use the JDK's own plain sockets, for {@code mptcpize run} to convert.
 */
final class FailoverPeer {
    private FailoverPeer() {}

    static int run(Args args, PrintStream out) throws Exception {
        String role = args.next();
        if ("server".equals(role)) {
            int port = Args.port(args.next());
            server(port, tcp(args), out);
            return 0;
        }
        if ("client".equals(role)) {
            String host = args.next();
            int port = Args.port(args.next());
            double seconds = args.doubleValue("SECONDS", 1, 3600);
            double interval = args.doubleValue("INTERVAL", 0.1, 60);
            client(host, port, seconds, interval, tcp(args), out);
            return 0;
        }
        throw new UsageException("failover-peer needs server PORT [--tcp] | client HOST PORT SECONDS INTERVAL [--tcp]");
    }

    private static boolean tcp(Args args) throws UsageException {
        if (!args.hasNext()) {
            return false;
        }
        String a = args.next();
        if (!"--tcp".equals(a) || args.hasNext()) {
            throw new UsageException("unexpected failover-peer argument: " + a + " (expected nothing or --tcp)");
        }
        return true;
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void server(int port, boolean tcp, PrintStream out) throws IOException {
        try (ServerSocketChannel listener = tcp ? ServerSocketChannel.open() : Mptcp.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(port));
            out.println("READY " + port);
            out.flush();
            try (SocketChannel conn = listener.accept()) {
                MessageDigest sha = sha();
                ByteBuffer buf = ByteBuffer.allocate(64 << 10);
                long total = 0;
                long last = 0;
                long longest = 0;
                for (int n; (n = conn.read(buf)) >= 0; buf.clear()) {
                    long now = System.nanoTime();
                    if (last != 0) {
                        longest = Math.max(longest, now - last);
                    }
                    last = now;
                    sha.update(buf.array(), 0, n);
                    total += n;
                }
                out.printf(Locale.ROOT, "RECEIVED %d %s %.1f%n", total, HexFormat.of().formatHex(sha.digest()), longest / 1e6);
                out.flush();
            }
        }
    }

    static void client(String host, int port, double seconds, double interval, boolean tcp, PrintStream out) throws IOException {
        try (SocketChannel ch = tcp ? SocketChannel.open() : Mptcp.openSocketChannel()) {
            ch.connect(new InetSocketAddress(host, port));
            out.println("[  5] connected to " + host + " port " + port + " (" + Mptcp.status(ch) + ")");
            out.println("[ ID] Interval           Transfer     Bitrate         Subflows");
            MessageDigest sha = sha();
            byte[] chunk = new byte[64 << 10];
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            long seed = 0x2545F4914F6CDD1DL;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long nextReport = start + (long) (interval * 1e9);
            long total = 0;
            long lastTotal = 0;
            long lastReport = start;
            while (System.nanoTime() < end) {
                for (int i = 0; i < chunk.length; i += 8) {
                    seed ^= seed << 13;
                    seed ^= seed >>> 7;
                    seed ^= seed << 17;
                    ByteBuffer.wrap(chunk, i, 8).putLong(seed);
                }
                sha.update(chunk);
                buf.clear();
                while (buf.hasRemaining()) {
                    total += ch.write(buf);
                }
                long now = System.nanoTime();
                if (now >= nextReport) {
                    int subflows = Mptcp.info(ch).map(i -> (int) i.establishedSubflows()).orElse(0);
                    double secs = (now - lastReport) / 1e9;
                    out.printf(Locale.ROOT, "[  5] %6.2f-%-6.2f sec  %12s  %16s  %d%n", (lastReport - start) / 1e9, (now - start) / 1e9,
                            Format.bytes(total - lastTotal), Format.bitrate((total - lastTotal) * 8 / secs), subflows);
                    out.flush();
                    lastTotal = total;
                    lastReport = now;
                    nextReport += (long) (interval * 1e9);
                }
            }
            ch.shutdownOutput();
            out.println("SENT " + total + " " + HexFormat.of().formatHex(sha.digest()));
            out.flush();
        }
    }
}
