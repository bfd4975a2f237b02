package org.mptcp4j.compat.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * An unmodified Vert.x HTTP server and client (the same source compiles against Vert.x 4.5 on Netty 4.1
 * and Vert.x 5 on Netty 4.2) on the native epoll transport Vert.x prefers when asked. Usage:
 * {@code VertxHttpEcho HOST REQUESTS}: each POSTs 1 MiB on a fresh connection and expects it back.
 */
public final class VertxHttpEcho {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int requests = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(req -> req.body().onSuccess(body -> req.response().end(body)))
                    .listen(0, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            // no keep-alive: one connection per request, closed after its response, never pooled (with only a
            // "Connection: close" header, a request could go to a pooled connection the server was closing, and hang)
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
            long bytes = 0;
            for (int i = 0; i < requests; i++) {
                byte[] payload = new byte[1 << 20];
                new Random(i).nextBytes(payload);
                Buffer echoed = client.request(HttpMethod.POST, server.actualPort(), host, "/echo")
                        .compose(r -> r.putHeader("Connection", "close").send(Buffer.buffer(payload)))
                        .compose(HttpClientResponse::body)
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (!Arrays.equals(payload, echoed.getBytes())) {
                    throw new AssertionError("request " + i + ": echoed bytes differ from sent");
                }
                bytes += 2L * payload.length;
            }
            System.out.println("OK requests=" + requests + " bytes=" + bytes + " native=" + vertx.isNativeTransportEnabled()
                    + " vertx=" + Vertx.class.getPackage().getImplementationVersion());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
