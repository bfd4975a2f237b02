package org.mptcp4j.benchmarks.programs;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Unmodified java.net code for the connection-rate benchmark. {@code serve PORT}: accepts, reads one
 * byte, closes, forever. {@code connect HOST PORT N ROUNDS}: ROUNDS times, N cycles of {@code new
 * Socket(host, port)}, write one byte, close; prints {@code ROUND r ms} per round. {@code serve-library}
 * and {@code connect-library}: the same through the library ({@code Mptcp.newServerSocket()},
 * {@code Mptcp.newSocket()} then connect); {@code connect-adaptor}: the JDK's socket view of a channel
 * ({@code SocketChannel.open().socket()}), the shape of the library's sockets.
 */
public final class ConnectLoop {
    public static void main(String[] args) throws Exception {
        boolean library = args[0].endsWith("-library");
        boolean adaptor = args[0].endsWith("-adaptor"); // the JDK's socket view of a SocketChannel: the shape of the library's sockets
        if (args[0].startsWith("serve")) {
            try (ServerSocket s = library ? org.mptcp4j.Mptcp.newServerSocket() : new ServerSocket()) {
                s.bind(new InetSocketAddress(Integer.parseInt(args[1])), 4096);
                System.out.println("READY");
                while (true) {
                    try (Socket c = s.accept(); InputStream in = c.getInputStream()) {
                        in.read();
                    }
                }
            }
        }
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                try (Socket s = library || adaptor ? connected(host, port, library) : new Socket(host, port); OutputStream out = s.getOutputStream()) {
                    out.write(1);
                }
            }
            System.out.println("ROUND " + r + " " + (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static Socket connected(String host, int port, boolean library) throws java.io.IOException {
        Socket s = library ? org.mptcp4j.Mptcp.newSocket() : java.nio.channels.SocketChannel.open().socket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }
}
