package org.mptcp4j.internal.sys;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Reads the raw {@code struct sockaddr_in}/{@code sockaddr_in6} bytes that getsockname returns. */
public final class Sockaddr {
    private Sockaddr() {}

    /** The port (0 when the socket is not bound). */
    public static int port(byte[] sockaddr) {
        return sockaddr.length < 4 ? 0 : ((sockaddr[2] & 0xff) << 8) | (sockaddr[3] & 0xff); // network byte order
    }

    /** True when the socket is bound to a port or to a specific address. */
    public static boolean isBound(byte[] sockaddr) {
        if (port(sockaddr) != 0) {
            return true;
        }
        int from = family(sockaddr) == Linux.AF_INET6 ? 8 : 4;
        int to = family(sockaddr) == Linux.AF_INET6 ? 24 : 8;
        for (int i = from; i < Math.min(to, sockaddr.length); i++) {
            if (sockaddr[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** The address family (host byte order, little-endian on the platforms mptcp4j runs on). */
    public static int family(byte[] sockaddr) {
        return sockaddr.length < 2 ? 0 : (sockaddr[0] & 0xff) | ((sockaddr[1] & 0xff) << 8);
    }

    /** The socket address, or null for a family other than IPv4/IPv6. */
    public static InetSocketAddress toInetSocketAddress(byte[] sockaddr) {
        try {
            int family = family(sockaddr);
            if (family == Linux.AF_INET && sockaddr.length >= 8) {
                return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(sockaddr, 4, 8)), port(sockaddr));
            }
            if (family == Linux.AF_INET6 && sockaddr.length >= 24) {
                return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(sockaddr, 8, 24)), port(sockaddr));
            }
        } catch (UnknownHostException e) {
            // cannot happen for 4 or 16 bytes
        }
        return null;
    }

    static String toString(byte[] sockaddr) {
        InetSocketAddress a = toInetSocketAddress(sockaddr);
        return a == null ? "family " + family(sockaddr) : a.toString();
    }
}
