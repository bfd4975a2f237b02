package org.mptcp4j.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/** How the tools print numbers and addresses: transfers in binary units, rates in decimal bits (as iperf3). */
final class Format {
    private Format() {}

    /** {@code host:port}, or {@code ?} when the kernel did not say. */
    static String address(InetSocketAddress a) {
        return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    static String bytes(double b) {
        if (b >= 1 << 30) {
            return String.format(Locale.ROOT, "%.2f GBytes", b / (1 << 30));
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MBytes", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KBytes", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f Bytes", b);
    }

    static String bitrate(double bitsPerSecond) {
        if (bitsPerSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbits/sec", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1f Mbits/sec", bitsPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f Kbits/sec", bitsPerSecond / 1e3);
    }

    /** The three header rows of a pmrep-style table: metric, device, unit. */
    static void pmrepHeader(List<String> devs, String metric, PrintStream out) {
        StringBuilder h1 = new StringBuilder("          ");
        StringBuilder h2 = new StringBuilder("          ");
        StringBuilder h3 = new StringBuilder("          ");
        for (String d : devs) {
            h1.append(String.format(Locale.ROOT, "  %14s", metric));
            h2.append(String.format(Locale.ROOT, "  %14s", d));
            h3.append(String.format(Locale.ROOT, "  %14s", "byte/s"));
        }
        out.println(h1);
        out.println(h2);
        out.println(h3);
    }
}
