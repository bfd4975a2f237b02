package org.mptcp4j.programs;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Unmodified program, plain JDK API: HttpClient against com.sun.net.httpserver.HttpServer. Usage: HttpEcho HOST. */
public final class HttpEcho {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            byte[] payload = new byte[256 * 1024];
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + args[0] + ":" + server.getAddress().getPort() + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
            HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            System.out.println(resp.statusCode() == 200 && resp.body().length == payload.length ? "OK " + resp.body().length : "BAD " + resp.statusCode());
        } finally {
            server.stop(0);
        }
    }
}
