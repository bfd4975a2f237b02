package org.mptcp4j.internal.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.policy.Setting;

/**
 * The opt-in Prometheus text endpoint ({@code mptcp4j.prometheus}): {@code GET /metrics} answers
 * {@link PrometheusText} for this JVM. Off by default; a bare port listens on loopback only, an address
 * must be given to listen elsewhere. Its listener is mptcp4j's own: left on TCP and not counted.
 */
public final class MetricsEndpoint {
    private MetricsEndpoint() {}

    private static final AtomicBoolean DECIDED = new AtomicBoolean();
    private static volatile HttpServer server;

    /**
     * Starts the endpoint if {@code value} asks for it; the first call in a JVM decides (the agent's,
     * with its arguments, comes before the library's). A bad value is one line, and no endpoint.
     */
    public static void startOnce(String value, String origin) {
        if (!DECIDED.compareAndSet(false, true)) {
            return;
        }
        InetSocketAddress address;
        try {
            address = parse(value);
        } catch (IllegalArgumentException e) {
            Log.warning(Setting.PROMETHEUS.badValue(origin, value) + "; no Prometheus endpoint");
            return;
        }
        if (address == null) {
            return;
        }
        // a daemon thread creates the server: its dispatcher thread inherits that, so the endpoint never keeps the JVM alive
        Thread t = new Thread(new Start(address), "mptcp4j-prometheus");
        t.setDaemon(true);
        t.start();
    }

    /** The address the endpoint listens on once started (for tests and the log line), or null. */
    public static InetSocketAddress address() {
        HttpServer s = server;
        return s == null ? null : s.getAddress();
    }

    /** {@code off} (null), {@code 9464} (loopback), {@code 0.0.0.0:9464}, {@code [::1]:9464}. */
    static InetSocketAddress parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false")) {
            return null;
        }
        int colon = v.lastIndexOf(':');
        String host = colon < 0 ? null : v.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(v);
        }
        if (port < 0 || port > 65535 || (host != null && host.isEmpty())) {
            throw new IllegalArgumentException(v);
        }
        if (host == null) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.matches("[0-9A-Fa-f:.%a-zA-Z-]+")) {
            throw new IllegalArgumentException(v);
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException(v);
        }
        return a;
    }

    private static final class Start implements Runnable {
        private final InetSocketAddress address;

        Start(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void run() {
            try {
                HttpServer s = Engine.leavingAlone(() -> HttpServer.create(address, 16));
                s.createContext("/", new Scrape());
                s.setExecutor(null); // the dispatcher thread answers: one scrape at a time is plenty
                s.start();
                server = s;
                Log.info("Prometheus endpoint on http://" + PrometheusText.address(s.getAddress()) + "/metrics");
            } catch (IOException | RuntimeException | LinkageError e) {
                Log.warning("no Prometheus endpoint on " + PrometheusText.address(address) + ": " + e);
            }
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
