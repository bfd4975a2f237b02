package org.mptcp4j.internal.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.policy.Setting;

/**
 * The opt-in Prometheus text endpoint ({@code mptcp4j.prometheus}): {@code GET /metrics} answers
 * {@link PrometheusText} for this JVM. Off by default; a bare port listens on loopback only, an address
 * must be given to listen elsewhere. Its listener is mptcp4j's own: left on TCP and not counted.
 * This class only decides (the agent asks at premain); {@link MetricsServer}, which needs the
 * {@code jdk.httpserver} module, is loaded only when an endpoint is wanted.
 */
public final class MetricsEndpoint {
    private MetricsEndpoint() {}

    private static boolean decided; // under the class; not an AtomicBoolean: its VarHandle would be made at every start

    private static synchronized boolean decide() {
        boolean first = !decided;
        decided = true;
        return first;
    }

    /**
     * Starts the endpoint if {@code value} asks for it; the first call in a JVM decides (the agent's,
     * with its arguments, comes before the library's). A bad value is one line, and no endpoint.
     */
    public static void startOnce(String value, String origin) {
        if (!decide()) {
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
        Thread t = new Thread(new MetricsServer(address), "mptcp4j-prometheus");
        t.setDaemon(true);
        t.start();
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
}
