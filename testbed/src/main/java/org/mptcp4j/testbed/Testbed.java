package org.mptcp4j.testbed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two hosts joined by N point-to-point links, each host in its own network namespace, like the
 * seed's two machines with three NICs each. Link {@code i} (0-based) is {@code eth<i>} on both
 * sides, client {@code 198.18.<i+1>.1/24}, server {@code 198.18.<i+1>.2/24} (RFC 2544 benchmark
 * range). Optionally shaped (tbf, egress both ways) and configured for MPTCP as in the seed:
 * limits on both hosts, the server's extra addresses announced with {@code signal} endpoints.
 */
public final class Testbed implements AutoCloseable {
    private final Netns client;
    private final Netns server;
    private final int paths;
    private final double[] rateMbit;

    private Testbed(Netns client, Netns server, int paths, double[] rateMbit) {
        this.client = client;
        this.server = server;
        this.paths = paths;
        this.rateMbit = rateMbit;
    }

    /** Starts describing a testbed. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setter validates its argument. */
    public static final class Builder {
        private int paths = 2;
        private double[] rates;
        private boolean mptcpEndpoints = true;
        private String label = "tb";

        public Builder paths(int n) {
            if (n < 1 || n > 8) {
                throw new IllegalArgumentException("paths " + n + " is out of range: expected 1-8");
            }
            this.paths = n;
            return this;
        }

        /** One rate for every link (Mbit/s, 0 = unshaped). */
        public Builder rateMbit(double mbit) {
            this.rates = new double[] {mbit};
            return this;
        }

        /** A rate per link (Mbit/s, 0 = unshaped); the last one repeats. */
        public Builder ratesMbit(double... mbit) {
            for (double r : mbit) {
                if (r < 0 || r > 100_000) {
                    throw new IllegalArgumentException("rate " + r + " Mbit/s is out of range: expected 0-100000");
                }
            }
            this.rates = mbit.clone();
            return this;
        }

        /** Whether to set MPTCP limits and signal endpoints (default true). */
        public Builder mptcpEndpoints(boolean on) {
            this.mptcpEndpoints = on;
            return this;
        }

        /** Short label in the namespace names. */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** Creates the namespaces, links, addresses, shaping and MPTCP configuration. Needs root. */
        public Testbed build() throws IOException {
            double[] perLink = new double[paths];
            for (int i = 0; i < paths; i++) {
                perLink[i] = rates == null ? 0 : rates[Math.min(i, rates.length - 1)];
            }
            Netns c = Netns.create(label + "c");
            Netns s = null;
            try {
                s = Netns.create(label + "s");
                Testbed tb = new Testbed(c, s, paths, perLink);
                tb.wire(mptcpEndpoints);
                return tb;
            } catch (IOException | RuntimeException e) {
                if (s != null) {
                    s.close();
                }
                c.close();
                throw e;
            }
        }
    }

    private void wire(boolean endpoints) throws IOException {
        for (int i = 0; i < paths; i++) {
            String dev = dev(i);
            client.ip("link", "add", dev, "type", "veth", "peer", "name", dev, "netns", server.name());
            client.ip("addr", "add", clientAddress(i) + "/24", "dev", dev);
            server.ip("addr", "add", serverAddress(i) + "/24", "dev", dev);
            client.ip("link", "set", dev, "up");
            server.ip("link", "set", dev, "up");
            if (rateMbit[i] > 0) {
                shape(client, dev, rateMbit[i]);
                shape(server, dev, rateMbit[i]);
            }
        }
        if (endpoints && paths > 1) {
            String extra = Integer.toString(paths - 1);
            for (Netns ns : List.of(client, server)) {
                ns.ip("mptcp", "limits", "set", "subflow", extra, "add_addr_accepted", extra);
            }
            for (int i = 1; i < paths; i++) {
                server.ip("mptcp", "endpoint", "add", serverAddress(i), "dev", dev(i), "signal");
            }
        }
    }

    private static void shape(Netns ns, String dev, double mbit) throws IOException {
        ns.exec("tc", "qdisc", "replace", "dev", dev, "root", "tbf",
                "rate", String.format(Locale.ROOT, "%.3fmbit", mbit), "burst", "32kb", "latency", "40ms");
    }

    public Netns client() {
        return client;
    }

    public Netns server() {
        return server;
    }

    public int paths() {
        return paths;
    }

    /** The configured rate of link {@code i} in Mbit/s (0 = unshaped). */
    public double rateMbit(int i) {
        return rateMbit[i];
    }

    public static String dev(int i) {
        return "eth" + i;
    }

    public static String clientAddress(int i) {
        return "198.18." + (i + 1) + ".1";
    }

    public static String serverAddress(int i) {
        return "198.18." + (i + 1) + ".2";
    }

    /** Devices of either host, in link order. */
    public List<String> devices() {
        List<String> d = new ArrayList<>();
        for (int i = 0; i < paths; i++) {
            d.add(dev(i));
        }
        return d;
    }

    /** Takes link {@code i} down on the client side (the peer loses carrier too), like unplugging a cable. */
    public void linkDown(int i) throws IOException {
        client.ip("link", "set", dev(i), "down");
    }

    /** Brings link {@code i} back up on the client side and restores its address and shaping. */
    public void linkUp(int i) throws IOException {
        client.ip("link", "set", dev(i), "up");
    }

    /** Removes both namespaces and everything in them. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Netns ns : new Netns[] {client, server}) {
            try {
                ns.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
