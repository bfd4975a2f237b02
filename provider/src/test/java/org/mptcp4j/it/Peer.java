package org.mptcp4j.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.MptcpSockets;
import org.mptcp4j.SubflowInfo;

/**
 * A child-JVM peer for kernel tests, written with the library API. Prints one line per fact so the
 * parent test can parse it:
 * <pre>
 *   probe                     AVAILABILITY name | detail
 *   server PORT [strict]      READY port, then RECEIVED bytes sha256 status
 *   client HOST PORT BYTES [strict]   STATUS s, INFO ..., SUBFLOW ..., SENT bytes sha256
 * </pre>
 */
public final class Peer {
    private Peer() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "probe":
                System.out.println("AVAILABILITY " + Mptcp.availability() + " | " + Mptcp.availabilityDetail());
                break;
            case "server":
                server(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("strict"));
                break;
            case "client":
                client(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), args.length > 4 && args[4].equals("strict"));
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static MptcpSockets sockets(boolean strict) {
        return strict ? Mptcp.strict() : Mptcp.sockets();
    }

    private static void server(int port, boolean strict) throws Exception {
        try (ServerSocketChannel listener = sockets(strict).openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(port));
            System.out.println("READY " + ((InetSocketAddress) listener.getLocalAddress()).getPort() + " " + Mptcp.status(listener));
            try (SocketChannel conn = listener.accept()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
                byte[] chunk = new byte[1 << 16];
                long total = 0;
                String status = Mptcp.status(conn).toString();
                for (int n; (n = conn.read(buf)) >= 0; ) {
                    buf.flip();
                    buf.get(chunk, 0, n);
                    sha.update(chunk, 0, n);
                    buf.clear();
                    total += n;
                }
                System.out.println("RECEIVED " + total + " " + HexFormat.of().formatHex(sha.digest()) + " " + status);
            }
        } catch (IOException e) {
            System.out.println("ERROR " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
        }
    }

    private static void client(String host, int port, long bytes, boolean strict) throws Exception {
        try (SocketChannel ch = sockets(strict).openSocketChannel()) {
            ch.connect(new InetSocketAddress(host, port));
            System.out.println("STATUS " + Mptcp.status(ch));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) (i * 31 + 7);
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(chunk.length);
            long sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            MptcpInfo widest = null;
            while (sent < bytes && System.nanoTime() < deadline) {
                int n = (int) Math.min(chunk.length, bytes - sent);
                chunk[0] = (byte) sent; // make the stream position-dependent
                sha.update(chunk, 0, n);
                buf.clear();
                buf.put(chunk, 0, n).flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                sent += n;
                if ((sent & ((1 << 22) - 1)) == 0) {
                    MptcpInfo now = Mptcp.info(ch).orElse(null);
                    if (now != null && (widest == null || now.subflows().size() >= widest.subflows().size())) {
                        widest = now;
                    }
                }
            }
            MptcpInfo last = Mptcp.info(ch).orElse(widest);
            if (last != null) {
                System.out.println("INFO subflows=" + last.subflows().size() + " bytesSent=" + last.bytesSent()
                        + " token=" + last.tokenHex());
                for (SubflowInfo sf : last.subflows()) {
                    System.out.println("SUBFLOW " + sf.interfaceName().orElse("?") + " " + sf.local() + " " + sf.remote()
                            + " " + sf.bytesSent() + " " + sf.established());
                }
            }
            System.out.println("SENT " + sent + " " + HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            System.out.println("ERROR " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
