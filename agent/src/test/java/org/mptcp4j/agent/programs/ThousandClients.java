package org.mptcp4j.agent.programs;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Unmodified load program: 1,000 clients connected at the same time to one echo server, each
 * echoing 1 KiB, on virtual threads (JDK 21+) or platform threads. Usage: ThousandClients HOST vt|threads.
 */
public final class ThousandClients {
    public static void main(String[] args) throws Throwable {
        int n = 1000;
        ExecutorService pool = args[1].equals("vt")
                ? (ExecutorService) MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                        MethodType.methodType(ExecutorService.class)).invoke()
                : Executors.newFixedThreadPool(2 * n + 4);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(0), n);
            pool.submit(() -> {
                while (!server.isClosed()) {
                    Socket s = server.accept();
                    pool.submit(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Socket> open = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                open.add(new Socket(args[0], server.getLocalPort()));
            }
            List<Future<Integer>> done = new ArrayList<>();
            for (Socket s : open) {
                done.add(pool.submit(() -> {
                    byte[] data = new byte[1024];
                    OutputStream out = s.getOutputStream();
                    out.write(data);
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    int got = in.readAllBytes().length;
                    s.close();
                    return got;
                }));
            }
            long total = 0;
            for (Future<Integer> f : done) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            System.out.println(total == 1024L * n ? "OK " + n + " clients, " + total + " bytes" : "SHORT " + total);
        } finally {
            pool.shutdownNow();
        }
    }
}
