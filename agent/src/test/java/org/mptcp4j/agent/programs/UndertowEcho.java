package org.mptcp4j.agent.programs;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Unmodified Undertow (XNIO) server answering GETs, called by java.net.http. Usage: UndertowEcho HOST. */
public final class UndertowEcho {
    public static void main(String[] args) throws Exception {
        byte[] body = new byte[128 * 1024];
        Undertow server = Undertow.builder().addHttpListener(0, "0.0.0.0")
                .setHandler(ex -> ex.getResponseSender().send(java.nio.ByteBuffer.wrap(body))).build();
        server.start();
        try {
            int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + args[0] + ":" + port + "/")).build(), HttpResponse.BodyHandlers.ofByteArray());
            System.out.println(resp.statusCode() == 200 && resp.body().length == body.length ? "OK " + resp.body().length : "BAD " + resp.statusCode());
        } finally {
            server.stop();
        }
    }
}
