package org.mptcp4j.internal.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.internal.log.Log;

/** The Prometheus endpoint itself (see {@link MetricsEndpoint}): runs on its daemon thread, which starts the server. */
final class MetricsServer implements Runnable {
    private final InetSocketAddress address;

    MetricsServer(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public void run() {
        try {
            HttpServer s = Engine.leavingAlone(() -> HttpServer.create(address, 16));
            s.createContext("/", new Scrape());
            s.setExecutor(null); // the dispatcher thread answers: one scrape at a time is plenty
            s.start();
            Log.info("Prometheus endpoint on http://" + PrometheusText.address(s.getAddress()) + "/metrics");
        } catch (IOException | RuntimeException | LinkageError e) {
            Log.warning("no Prometheus endpoint on " + PrometheusText.address(address) + ": " + e);
        }
    }

    private static final class Scrape implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                if (!"/metrics".equals(path) && !"/".equals(path)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                List<MptcpInfo> live;
                try {
                    live = LiveConnections.sample();
                } catch (IOException | RuntimeException e) {
                    live = List.of(); // the counters still answer
                }
                byte[] body = PrometheusText.render(Mptcp.counters(), Mptcp.availability(), live).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
                if ("HEAD".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
