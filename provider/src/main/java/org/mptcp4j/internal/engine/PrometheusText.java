package org.mptcp4j.internal.engine;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mptcp4j.Availability;
import org.mptcp4j.FallbackReason;
import org.mptcp4j.MptcpCounters;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/**
 * The Prometheus text exposition format (version 0.0.4) of mptcp4j's counters and of a sample of the
 * live connections. Names and labels are those the Micrometer binder gives through a Prometheus
 * registry, so a dashboard reads either source.
 */
public final class PrometheusText {
    private PrometheusText() {}

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    public static String render(MptcpCounters c, Availability availability, List<MptcpInfo> live) {
        StringBuilder b = new StringBuilder(2048);
        header(b, "mptcp4j_sockets_total", "counter", "Stream sockets mptcp4j decided about, by decision");
        sample(b, "mptcp4j_sockets_total", "decision", "converted", c.converted());
        sample(b, "mptcp4j_sockets_total", "decision", "kept_tcp", c.keptTcp());
        sample(b, "mptcp4j_sockets_total", "decision", "unavailable", c.unavailable());

        header(b, "mptcp4j_connections_total", "counter", "Connections mptcp4j saw complete, by outcome and fallback reason");
        b.append("mptcp4j_connections_total{outcome=\"mptcp\",reason=\"none\"} ").append(c.negotiated()).append('\n');
        for (FallbackReason r : FallbackReason.values()) {
            b.append("mptcp4j_connections_total{outcome=\"fallback\",reason=\"").append(tag(r)).append("\"} ")
                    .append(c.fellBack(r)).append('\n');
        }

        header(b, "mptcp4j_available", "gauge", "1 when this process can create MPTCP sockets");
        b.append("mptcp4j_available{availability=\"").append(tag(availability)).append("\"} ")
                .append(availability.isSupported() ? 1 : 0).append('\n');

        header(b, "mptcp4j_connections_active", "gauge", "Open connections of this process that negotiated MPTCP");
        b.append("mptcp4j_connections_active ").append(live.size()).append('\n');

        long subflows = 0;
        Map<String, long[]> perInterface = new TreeMap<>();
        for (MptcpInfo i : live) {
            subflows += i.establishedSubflows();
            for (SubflowInfo s : i.subflows()) {
                long[] t = perInterface.computeIfAbsent(s.interfaceName().orElse(""), k -> new long[2]);
                t[0] += s.bytesSent();
                t[1] += s.bytesReceived();
            }
        }
        header(b, "mptcp4j_subflows_active", "gauge", "Established subflows of those connections");
        b.append("mptcp4j_subflows_active ").append(subflows).append('\n');

        header(b, "mptcp4j_subflow_sent_bytes", "gauge", "Bytes sent on each subflow of the open MPTCP connections");
        for (MptcpInfo i : live) {
            for (SubflowInfo s : i.subflows()) {
                subflow(b, "mptcp4j_subflow_sent_bytes", s, s.bytesSent());
            }
        }
        header(b, "mptcp4j_subflow_received_bytes", "gauge", "Bytes received on each subflow of the open MPTCP connections");
        for (MptcpInfo i : live) {
            for (SubflowInfo s : i.subflows()) {
                subflow(b, "mptcp4j_subflow_received_bytes", s, s.bytesReceived());
            }
        }
        header(b, "mptcp4j_interface_sent_bytes", "gauge", "Bytes sent by the open MPTCP connections' subflows, per local interface");
        for (Map.Entry<String, long[]> e : perInterface.entrySet()) {
            sample(b, "mptcp4j_interface_sent_bytes", "interface", e.getKey(), e.getValue()[0]);
        }
        header(b, "mptcp4j_interface_received_bytes", "gauge", "Bytes received by the open MPTCP connections' subflows, per local interface");
        for (Map.Entry<String, long[]> e : perInterface.entrySet()) {
            sample(b, "mptcp4j_interface_received_bytes", "interface", e.getKey(), e.getValue()[1]);
        }
        return b.toString();
    }

    /** A label value as both sources spell it: the enum name in lower case ({@code peer_without_mptcp}). */
    public static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** An address as the labels spell it: {@code 198.18.1.1:43210}, {@code [fd00::1]:443}. */
    public static String address(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        String host = a.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        host = scope < 0 ? host : host.substring(0, scope);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, String label, String value, long n) {
        b.append(name).append('{').append(label).append("=\"").append(escape(value)).append("\"} ").append(n).append('\n');
    }

    private static void subflow(StringBuilder b, String name, SubflowInfo s, long n) {
        b.append(name).append("{interface=\"").append(escape(s.interfaceName().orElse("")))
                .append("\",local=\"").append(escape(address(s.local())))
                .append("\",remote=\"").append(escape(address(s.remote()))).append("\"} ").append(n).append('\n');
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
