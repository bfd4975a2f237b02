package org.mptcp4j.agent.programs;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that stay open until stdin closes, for scraping while they live. {@code serve PORT}:
 * accepts and reads everything, prints {@code READY} once listening. {@code connect HOST PORT N BYTES}:
 * opens N connections and prints {@code CONNECTED}; on a line {@code go}, writes BYTES on each and prints
 * {@code SENT}. {@code idle}: opens no socket, prints {@code READY} and waits for stdin to close.
 */
public final class Holder {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("idle")) {
            System.out.println("READY"); // no socket at all: whatever listens was started by something else
            System.in.transferTo(OutputStream.nullOutputStream());
            return;
        }
        if (args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
        } else {
            connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
    }

    private static void serve(int port) throws Exception {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(port));
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket s = listener.accept();
                    Thread reader = new Thread(() -> drain(s));
                    reader.setDaemon(true);
                    reader.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("READY");
        System.in.transferTo(OutputStream.nullOutputStream());
        listener.close();
        System.out.println("OK served");
    }

    private static void drain(Socket s) {
        try (InputStream in = s.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (Exception e) {
            // the test reads the counters, not this
        }
    }

    private static void connect(String host, int port, int n, int bytes) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sockets.add(new Socket(host, port));
        }
        System.out.println("CONNECTED");
        byte[] payload = new byte[bytes];
        java.io.BufferedReader stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        for (String line; (line = stdin.readLine()) != null; ) {
            if (line.equals("go")) {
                writeAll(sockets, payload);
            }
        }
        for (Socket s : sockets) {
            s.close();
        }
        System.out.println("OK closed " + n);
    }

    private static void writeAll(List<Socket> sockets, byte[] payload) throws Exception {
        for (Socket s : sockets) {
            s.getOutputStream().write(payload);
            s.getOutputStream().flush();
        }
        System.out.println("SENT");
    }
}
