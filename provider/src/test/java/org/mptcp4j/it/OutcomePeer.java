package org.mptcp4j.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import org.mptcp4j.Mptcp;
import org.mptcp4j.testbed.MptcpMBean;

/**
 * A child-JVM peer for the outcome tests, written with the library API. One line per fact:
 * <pre>
 *   connect HOST PORT...   OUTCOME port status reason (all ports at once), then COUNTERS summary (from the MBean)
 *   tcp-connect HOST PORT  CONNECTED (a plain TCP client)
 *   serve PORT [tcp]       READY port, then per accepted connection ACCEPTED status reason; sends 256 KiB to each
 *                          once it has read the client's first byte
 * </pre>
 */
public final class OutcomePeer {
    private OutcomePeer() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "connect":
                connect(args[1], List.of(args).subList(2, args.length));
                break;
            case "tcp-connect":
                try (SocketChannel ch = SocketChannel.open(new InetSocketAddress(args[1], Integer.parseInt(args[2])))) {
                    System.out.println("CONNECTED");
                    go(ch);
                    drain(ch);
                }
                break;
            case "serve":
                serve(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("tcp"));
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void connect(String host, List<String> ports) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (String port : ports) {
            Thread t = new Thread(() -> {
                try (SocketChannel ch = Mptcp.openSocketChannel()) {
                    ch.connect(new InetSocketAddress(host, Integer.parseInt(port)));
                    go(ch);
                    drain(ch); // data-level fallbacks happen when data arrives
                    System.out.println("OUTCOME " + port + " " + Mptcp.status(ch) + " " + Mptcp.fallbackReason(ch).map(Enum::name).orElse("-")
                            + " | " + Mptcp.describe(ch));
                } catch (IOException e) {
                    System.out.println("ERROR " + port + " " + e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        MBeanServer server = MptcpMBean.await(10);
        System.out.println("COUNTERS " + server.getAttribute(MptcpMBean.NAME, "Summary") + " mode=" + server.getAttribute(MptcpMBean.NAME, "Mode"));
    }

    /**
     * Tells the server to send: it waits for this byte, so that nothing of its data (stripped of MPTCP options,
     * or rewritten, by a test's rules) can reach the client before connect() returned and recorded the outcome.
     */
    private static void go(SocketChannel ch) throws IOException {
        ByteBuffer one = ByteBuffer.wrap(new byte[] {1});
        while (one.hasRemaining()) {
            ch.write(one);
        }
    }

    /** Reads what the server sends (256 KiB) or until it closes. */
    private static void drain(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long total = 0;
        while (total < (256 << 10)) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                return;
            }
            total += n;
        }
    }

    private static void serve(int port, boolean tcp) throws Exception {
        try (ServerSocketChannel listener = tcp ? ServerSocketChannel.open() : Mptcp.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(port));
            System.out.println("READY " + port + " " + Mptcp.status(listener));
            while (true) {
                SocketChannel conn = listener.accept();
                System.out.println("ACCEPTED " + Mptcp.status(conn) + " " + Mptcp.fallbackReason(conn).map(Enum::name).orElse("-"));
                Thread t = new Thread(() -> {
                    try (conn) {
                        if (conn.read(ByteBuffer.allocate(1)) < 0) {
                            return; // the client's go byte (see go): none, the client went away
                        }
                        ByteBuffer data = ByteBuffer.allocate(256 << 10);
                        while (data.hasRemaining()) {
                            conn.write(data);
                        }
                        conn.shutdownOutput();
                        conn.read(ByteBuffer.allocate(1)); // until the client closes
                    } catch (IOException e) {
                        // the client went away
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }
    }
}
