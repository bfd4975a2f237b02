package org.mptcp4j.programs;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Unmodified program (JDK 21+): the blocking echo with both ends on virtual threads. Usage: VirtualThreadEcho HOST. */
public final class VirtualThreadEcho {
    public static void main(String[] args) throws Throwable {
        ExecutorService vts = (ExecutorService) MethodHandles.publicLookup()
                .findStatic(Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class)).invoke();
        try (ServerSocket server = new ServerSocket(0)) {
            Future<?> echo = vts.submit(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
                return null;
            });
            Future<Integer> client = vts.submit(() -> {
                try (Socket c = new Socket(args[0], server.getLocalPort())) {
                    byte[] data = new byte[1 << 20];
                    vts.submit(() -> {
                        c.getOutputStream().write(data);
                        c.shutdownOutput();
                        return null;
                    });
                    InputStream in = c.getInputStream();
                    return in.readAllBytes().length;
                }
            });
            int n = client.get(30, TimeUnit.SECONDS);
            echo.get(30, TimeUnit.SECONDS);
            System.out.println(n == 1 << 20 ? "OK " + n : "SHORT " + n);
        } finally {
            vts.shutdownNow();
        }
    }
}
