package org.mptcp4j.internal.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One entry of an include/exclude list. Accepted forms:
 * <ul>
 *   <li>{@code 10.0.0.0/8}, {@code 2001:db8::/32}: a CIDR block</li>
 *   <li>{@code 192.0.2.7}, {@code ::1}: one address</li>
 *   <li>{@code example.com}, {@code *.example.com}: a host name as the application gave it (or a suffix)</li>
 *   <li>{@code :443}: a port, any address</li>
 *   <li>any of the above followed by {@code :PORT} ({@code [2001:db8::1]:443} for IPv6)</li>
 * </ul>
 */
public final class AddressRule {
    private final byte[] network;   // null: any address
    private final int prefix;
    private final String host;      // lower case; "*.x" as ".x" suffix; null: not a host rule
    private final int port;         // -1: any port
    private final String text;

    private AddressRule(byte[] network, int prefix, String host, int port, String text) {
        this.network = network;
        this.prefix = prefix;
        this.host = host;
        this.port = port;
        this.text = text;
    }

    /** Parses one rule; the exception message names the bad text and the accepted forms. */
    public static AddressRule parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw bad(text, "empty entry");
        }
        int port = -1;
        String addr = t;
        if (t.startsWith("[")) { // [v6]:port or [v6]
            int close = t.indexOf(']');
            if (close < 0) {
                throw bad(text, "missing ']'");
            }
            addr = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(text, "expected :PORT after ']'");
                }
                port = port(text, rest.substring(1));
            }
        } else if (t.startsWith(":")) {
            return new AddressRule(null, 0, null, port(text, t.substring(1)), t);
        } else if (t.indexOf(':') == t.lastIndexOf(':') && t.indexOf(':') > 0) { // host:port or v4:port
            int colon = t.indexOf(':');
            addr = t.substring(0, colon);
            port = port(text, t.substring(colon + 1));
        }
        int slash = addr.indexOf('/');
        String ip = slash < 0 ? addr : addr.substring(0, slash);
        if (looksNumeric(ip)) {
            byte[] bytes = literal(text, ip);
            int max = bytes.length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(addr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw bad(text, "prefix length is not a number");
                }
                if (prefix < 0 || prefix > max) {
                    throw bad(text, "prefix length must be 0-" + max);
                }
            }
            return new AddressRule(bytes, prefix, null, port, t);
        }
        if (slash >= 0) {
            throw bad(text, "a prefix length needs a numeric address");
        }
        String h = addr.toLowerCase(Locale.ROOT);
        if (h.startsWith("*.")) {
            h = h.substring(1);
        }
        if (!h.matches("\\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw bad(text, "not a host name");
        }
        return new AddressRule(null, 0, h, port, t);
    }

    private static boolean looksNumeric(String s) {
        return s.contains(":") || s.matches("[0-9.]+");
    }

    private static byte[] literal(String text, String ip) {
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            throw bad(text, "not an IP address");
        }
        try {
            return InetAddress.getByName(ip).getAddress(); // a literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            throw bad(text, "not an IP address");
        }
    }

    private static int port(String text, String p) {
        try {
            int n = Integer.parseInt(p);
            if (n >= 1 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(text, "port must be 1-65535");
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\": " + why
                + " (expected CIDR, address, host name, *.domain, :PORT, or one of these with :PORT)");
    }

    /** Whether {@code target} matches. The host form matches the name the application used, not a reverse lookup. */
    public boolean matches(InetSocketAddress target) {
        if (port >= 0 && target.getPort() != port) {
            return false;
        }
        if (host != null) {
            String name = target.getHostString().toLowerCase(Locale.ROOT);
            return host.startsWith(".") ? name.endsWith(host) || name.equals(host.substring(1)) : name.equals(host);
        }
        if (network == null) {
            return true;
        }
        InetAddress a = target.getAddress();
        if (a == null) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 16 && network.length == 4 && isV4Mapped(b)) {
            b = java.util.Arrays.copyOfRange(b, 12, 16);
        }
        if (b.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** Whether the rule names a port (so it can only be decided where the port is known). */
    public boolean hasPort() {
        return port >= 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
