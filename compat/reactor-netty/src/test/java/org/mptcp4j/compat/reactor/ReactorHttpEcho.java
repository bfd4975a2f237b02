package org.mptcp4j.compat.reactor;

import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * An unmodified Reactor Netty HTTP server and client (the stack under Spring WebFlux and Spring Cloud
 * Gateway) on Netty 4.1, native epoll as Reactor Netty picks it when present. Usage:
 * {@code ReactorHttpEcho HOST REQUESTS}: each POSTs 1 MiB on a new connection and expects it back.
 */
public final class ReactorHttpEcho {
    public static void main(String[] args) {
        String host = args[0];
        int requests = Integer.parseInt(args[1]);
        DisposableServer server = HttpServer.create().host(host).port(0)
                .handle((request, response) -> response.send(request.receive().retain()))
                .bindNow(Duration.ofSeconds(30));
        try {
            HttpClient client = HttpClient.newConnection();
            long bytes = 0;
            for (int i = 0; i < requests; i++) {
                byte[] payload = new byte[1 << 20];
                new Random(i).nextBytes(payload);
                byte[] echoed = client.post().uri("http://" + host + ":" + server.port() + "/echo")
                        .send(ByteBufFlux.fromInbound(Mono.just(payload)))
                        .responseContent().aggregate().asByteArray().block(Duration.ofSeconds(30));
                if (!Arrays.equals(payload, echoed)) {
                    throw new AssertionError("request " + i + ": echoed bytes differ from sent");
                }
                bytes += 2L * payload.length;
            }
            System.out.println("OK requests=" + requests + " bytes=" + bytes + " epoll=" + Epoll.isAvailable()
                    + " reactor-netty=" + HttpServer.class.getPackage().getImplementationVersion());
        } finally {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }
}
