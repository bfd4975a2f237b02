package org.mptcp4j.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.mptcp4j.sys.ErrnoException;
import org.mptcp4j.sys.Linux;
import org.mptcp4j.sys.NativeSockets;

/**
 * Socket options an application may have set on a TCP socket before mptcp4j replaced it, carried
 * over to the MPTCP socket at the fd level (so it works for every path: library, SocketImpl,
 * agent). Only values that differ from a fresh TCP socket's default are copied: copying a default
 * buffer size, for example, would lock it and switch off the kernel's buffer auto-tuning.
 */
final class CarriedOptions {
    private CarriedOptions() {}

    /** One option: level, name, how many ints it holds (SO_LINGER has two), and a name for messages. */
    private record Opt(String name, int level, int option, int ints, boolean doubledByKernel) {}

    private static final Opt[] OPTIONS = {
        new Opt("SO_KEEPALIVE", Linux.SOL_SOCKET, 9, 1, false),
        new Opt("SO_SNDBUF", Linux.SOL_SOCKET, 7, 1, true),
        new Opt("SO_RCVBUF", Linux.SOL_SOCKET, 8, 1, true),
        new Opt("SO_REUSEPORT", Linux.SOL_SOCKET, 15, 1, false),
        new Opt("SO_LINGER", Linux.SOL_SOCKET, 13, 2, false),
        new Opt("SO_OOBINLINE", Linux.SOL_SOCKET, 10, 1, false),
        new Opt("SO_PRIORITY", Linux.SOL_SOCKET, 12, 1, false),
        new Opt("TCP_NODELAY", Linux.SOL_TCP, 1, 1, false),
        new Opt("TCP_KEEPIDLE", Linux.SOL_TCP, 4, 1, false),
        new Opt("TCP_KEEPINTVL", Linux.SOL_TCP, 5, 1, false),
        new Opt("TCP_KEEPCNT", Linux.SOL_TCP, 6, 1, false),
        new Opt("TCP_USER_TIMEOUT", Linux.SOL_TCP, 18, 1, false),
        new Opt("IP_TOS", Linux.IPPROTO_IP, 1, 1, false),
        new Opt("IPV6_TCLASS", Linux.IPPROTO_IPV6, 67, 1, false),
    };

    private static final ConcurrentHashMap<Integer, int[][]> BASELINE = new ConcurrentHashMap<>();

    /** A value read from the old socket that differs from the default. */
    record Value(int index, int[] value) {}

    /** Options of {@code fd} whose values differ from a fresh TCP socket of the same family. */
    static List<Value> changed(int fd, int domain) {
        int[][] base = BASELINE.computeIfAbsent(domain, CarriedOptions::baseline);
        List<Value> out = new ArrayList<>(2);
        for (int i = 0; i < OPTIONS.length; i++) {
            int[] v = read(fd, OPTIONS[i]);
            if (v != null && base[i] != null && !java.util.Arrays.equals(v, base[i])) {
                out.add(new Value(i, v));
            }
        }
        return out;
    }

    /** Applies {@code values} to {@code fd}; returns one text per option the MPTCP socket refused. */
    static List<String> apply(int fd, List<Value> values) {
        List<String> refused = new ArrayList<>(0);
        for (Value v : values) {
            Opt o = OPTIONS[v.index()];
            int[] value = v.value().clone();
            if (o.doubledByKernel()) {
                value[0] = value[0] / 2; // getsockopt reports twice what setsockopt was given
            }
            try {
                NativeSockets.setIntsOption(fd, o.level(), o.option(), value);
            } catch (ErrnoException e) {
                refused.add(o.name() + "=" + java.util.Arrays.toString(v.value()).replaceAll("[\\[\\] ]", "") + ": " + e.getMessage());
            }
        }
        return refused;
    }

    private static int[][] baseline(int domain) {
        int[][] base = new int[OPTIONS.length][];
        int fd = -1;
        try {
            fd = NativeSockets.socket(domain, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0);
            for (int i = 0; i < OPTIONS.length; i++) {
                base[i] = read(fd, OPTIONS[i]);
            }
        } catch (ErrnoException e) {
            // no baseline: nothing will be carried (better than locking defaults)
        } finally {
            NativeSockets.closeQuietly(fd);
        }
        return base;
    }

    private static int[] read(int fd, Opt o) {
        try {
            return NativeSockets.getIntsOption(fd, o.level(), o.option(), o.ints());
        } catch (ErrnoException e) {
            return null; // not applicable to this family or socket
        }
    }
}
