package org.mptcp4j.programs;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/** Unmodified program, plain JDK API: Socket/ServerSocket echo of 1 MiB. Usage: BlockingEcho HOST. */
public final class BlockingEcho {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(0));
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            t.start();
            byte[] data = new byte[1 << 20];
            Arrays.fill(data, (byte) 7);
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress(args[0], server.getLocalPort()), 5000);
                OutputStream out = c.getOutputStream();
                Thread w = new Thread(() -> {
                    try {
                        out.write(data);
                        c.shutdownOutput();
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                });
                w.start();
                InputStream in = c.getInputStream();
                byte[] back = in.readAllBytes();
                w.join();
                System.out.println(Arrays.equals(data, back) ? "OK " + back.length : "MISMATCH " + back.length);
            }
            t.join();
        }
    }
}
