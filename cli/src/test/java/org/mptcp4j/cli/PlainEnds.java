package org.mptcp4j.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Plain-TCP ends for the proxy test (java.net only, no mptcp4j): {@code sink PORT} and {@code source HOST PORT BYTES}. */
public final class PlainEnds {
    public static void main(String[] args) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 << 10];
        if (args[0].equals("sink")) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])));
                System.out.println("READY");
                try (Socket c = s.accept(); InputStream in = c.getInputStream()) {
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                        total += n;
                    }
                    System.out.println("SINK " + total + " " + HexFormat.of().formatHex(sha.digest()));
                }
            }
            return;
        }
        long bytes = Long.parseLong(args[3]);
        Random r = new Random(42);
        try (Socket c = new Socket(args[1], Integer.parseInt(args[2])); OutputStream out = c.getOutputStream()) {
            for (long sent = 0; sent < bytes; ) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, bytes - sent);
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                sent += n;
            }
            c.shutdownOutput();
            c.getInputStream().read();
        }
        System.out.println("SOURCE " + bytes + " " + HexFormat.of().formatHex(sha.digest()));
    }
}
