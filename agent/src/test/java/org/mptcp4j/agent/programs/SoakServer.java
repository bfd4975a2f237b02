package org.mptcp4j.agent.programs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;

/**
 * The soak's HTTP service, unmodified JDK code: {@code GET /small} answers 1 KiB; {@code GET
 * /stream?bytes=N&seed=S} streams N bytes of the seeded sequence {@link #fill} makes (the client
 * checks them). {@code SoakServer PORT}; prints READY; runs until stdin closes.
 */
public final class SoakServer {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/small", exchange -> {
            try (exchange) {
                byte[] body = new byte[1024];
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.createContext("/stream", SoakServer::stream);
        server.start();
        System.out.println("READY");
        System.in.transferTo(OutputStream.nullOutputStream());
        server.stop(0);
        System.exit(0);
    }

    private static void stream(HttpExchange exchange) {
        try (exchange) {
            String q = exchange.getRequestURI().getQuery();
            long bytes = Long.parseLong(q.replaceAll(".*bytes=(\\d+).*", "$1"));
            long seed = Long.parseLong(q.replaceAll(".*seed=(\\d+).*", "$1"));
            exchange.sendResponseHeaders(200, bytes);
            OutputStream out = exchange.getResponseBody();
            SplittableRandom r = new SplittableRandom(seed);
            byte[] buf = new byte[64 << 10];
            for (long left = bytes; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                fill(r, buf, n);
                out.write(buf, 0, n);
                left -= n;
            }
        } catch (Exception e) {
            // the client went away; it counts its own failures
        }
    }

    /** The stream's content: both ends generate it from the seed. */
    public static void fill(SplittableRandom r, byte[] buf, int n) {
        for (int i = 0; i < n; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                buf[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }
}
