package org.mptcp4j.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Peers that make a server hold things, for the limits tests (java.net only, no mptcp4j).
 * <pre>
 *   upstream PORT                       accepts any number; a connection that starts with FLOOD is sent
 *                                       data until it breaks, any other is drained: "GOT bytes sha256"
 *   idlers HOST PORT N EXPECT_CLOSED    opens N connections that send nothing; waits (30 s at most)
 *                                       until EXPECT_CLOSED were closed by the server: "OPEN n CLOSED k"
 *   stall HOST PORT                     asks the upstream for a flood and never reads: "STALLING"
 * </pre>
 * All wait for stdin to close before exiting.
 */
public final class Hostile {
    static final byte[] FLOOD = "FLOOD!!\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "upstream": upstream(Integer.parseInt(args[1])); break;
            case "idlers": idlers(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4])); break;
            default: stall(args[1], Integer.parseInt(args[2]));
        }
    }

    private static void upstream(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(port), 4096);
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket c = s.accept();
                    Thread t = new Thread(null, () -> serve(c), "up", 256 << 10);
                    t.setDaemon(true);
                    t.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("READY");
        System.in.transferTo(OutputStream.nullOutputStream());
    }

    private static void serve(Socket c) {
        try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
            byte[] head = in.readNBytes(FLOOD.length);
            if (Arrays.equals(head, FLOOD)) {
                byte[] buf = new byte[64 << 10];
                new Random(1).nextBytes(buf);
                while (true) {
                    out.write(buf);
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(head);
            long total = head.length;
            byte[] buf = new byte[64 << 10];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
            if (total > 0) {
                System.out.println("GOT " + total + " " + HexFormat.of().formatHex(sha.digest()));
            }
        } catch (Exception e) {
            // a peer that went away
        }
    }

    private static void idlers(String host, int port, int n, int expectClosed) throws Exception {
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            open.add(new Socket(host, port));
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        int closed = 0;
        boolean[] gone = new boolean[n];
        while (closed < expectClosed && System.nanoTime() < deadline) {
            for (int i = 0; i < n; i++) {
                if (gone[i]) {
                    continue;
                }
                Socket s = open.get(i);
                s.setSoTimeout(1);
                try {
                    if (s.getInputStream().read() < 0) {
                        gone[i] = true;
                        closed++;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // open, as an idler should be
                } catch (java.io.IOException reset) {
                    gone[i] = true;
                    closed++;
                }
            }
        }
        System.out.println("OPEN " + n + " CLOSED " + closed);
        System.in.transferTo(OutputStream.nullOutputStream());
        for (Socket s : open) {
            s.close();
        }
    }

    private static void stall(String host, int port) throws Exception {
        try (Socket s = new Socket(host, port)) {
            s.setReceiveBufferSize(4096);
            s.getOutputStream().write(FLOOD);
            System.out.println("STALLING");
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
