package org.mptcp4j.internal.swap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.mptcp4j.internal.options.OptionRule;
import org.mptcp4j.internal.options.RefusedOptions;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * Socket options an application may have set on a TCP socket before mptcp4j replaced it, carried
 * over to the MPTCP socket at the fd level (so it works for every path: library, SocketImpl,
 * agent, Netty). Only values that differ from a fresh TCP socket's default are copied: copying a
 * default buffer size, for example, would lock it and switch off the kernel's buffer auto-tuning.
 * A value the MPTCP socket refuses is answered by its {@link OptionRule}.
 */
final class CarriedOptions {
    private CarriedOptions() {}

    /** One option: level, name, how many ints it holds (SO_LINGER two; 0: a string), and a name for messages. */
    private record Opt(String name, int level, int option, int ints, boolean doubledByKernel, boolean bool) {
        static Opt ints(String name, int level, int option) {
            return new Opt(name, level, option, 1, false, false);
        }

        static Opt bool(String name, int level, int option) {
            return new Opt(name, level, option, 1, false, true);
        }
    }

    private static final int STRING_MAX = 16; // IFNAMSIZ, TCP_CA_NAME_MAX

    private static final Opt[] OPTIONS = {
        Opt.bool("SO_KEEPALIVE", Linux.SOL_SOCKET, 9),
        new Opt("SO_SNDBUF", Linux.SOL_SOCKET, 7, 1, true, false),
        new Opt("SO_RCVBUF", Linux.SOL_SOCKET, 8, 1, true, false),
        Opt.bool("SO_REUSEPORT", Linux.SOL_SOCKET, 15),
        new Opt("SO_LINGER", Linux.SOL_SOCKET, 13, 2, false, false),
        Opt.bool("SO_OOBINLINE", Linux.SOL_SOCKET, 10),
        Opt.ints("SO_PRIORITY", Linux.SOL_SOCKET, 12),
        Opt.ints("SO_MARK", Linux.SOL_SOCKET, 36),
        new Opt("SO_BINDTODEVICE", Linux.SOL_SOCKET, 25, 0, false, false),
        Opt.bool("TCP_NODELAY", Linux.SOL_TCP, 1),
        Opt.ints("TCP_MAXSEG", Linux.SOL_TCP, 2),
        Opt.bool("TCP_CORK", Linux.SOL_TCP, 3),
        Opt.ints("TCP_KEEPIDLE", Linux.SOL_TCP, 4),
        Opt.ints("TCP_KEEPINTVL", Linux.SOL_TCP, 5),
        Opt.ints("TCP_KEEPCNT", Linux.SOL_TCP, 6),
        Opt.ints("TCP_WINDOW_CLAMP", Linux.SOL_TCP, 10),
        new Opt("TCP_CONGESTION", Linux.SOL_TCP, 13, 0, false, false),
        Opt.ints("TCP_USER_TIMEOUT", Linux.SOL_TCP, 18),
        Opt.ints("TCP_NOTSENT_LOWAT", Linux.SOL_TCP, 25),
        Opt.bool("TCP_FASTOPEN_CONNECT", Linux.SOL_TCP, 30),
        Opt.ints("IP_TOS", Linux.IPPROTO_IP, 1),
        Opt.ints("IP_TTL", Linux.IPPROTO_IP, 2),
        Opt.bool("IP_FREEBIND", Linux.IPPROTO_IP, 15),
        Opt.bool("IP_TRANSPARENT", Linux.IPPROTO_IP, 19),
        Opt.bool("IP_BIND_ADDRESS_NO_PORT", Linux.IPPROTO_IP, 24),
        Opt.ints("IPV6_UNICAST_HOPS", Linux.IPPROTO_IPV6, 16),
        Opt.ints("IPV6_TCLASS", Linux.IPPROTO_IPV6, 67),
    };

    private static final ConcurrentHashMap<Integer, Object[]> BASELINE = new ConcurrentHashMap<>();

    /** A value read from the old socket that differs from the default: int[] or byte[] (a string option). */
    record Value(int index, Object value) {}

    /** What applying the values did. */
    static final class Applied {
        private final List<String> refused = new ArrayList<>(0);
        private final List<Value> recorded = new ArrayList<>(0);
        private String keepTcp;

        /** Values the MPTCP socket refused that no rule answers: one text each. */
        List<String> refused() {
            return refused;
        }

        /** Why the socket must stay TCP (an option that changes behaviour was refused), or null. */
        String keepTcp() {
            return keepTcp;
        }

        /** Records the hint values MPTCP refused under the socket's owner, so reads return them. */
        void recordUnder(Object owner) {
            for (Value v : recorded) {
                Opt o = OPTIONS[v.index()];
                int n = ((int[]) v.value())[0];
                RefusedOptions.recordCarried(owner, OptionRule.named(o.name()), o.bool() ? (Object) (n != 0) : (Object) n);
            }
        }
    }

    /** Options of {@code fd} whose values differ from a fresh socket of the same family and protocol (TCP's 0 or MPTCP). */
    static List<Value> changed(int fd, int domain, int protocol) {
        Object[] base = BASELINE.computeIfAbsent(protocol << 8 | domain, CarriedOptions::baseline);
        List<Value> out = new ArrayList<>(2);
        for (int i = 0; i < OPTIONS.length; i++) {
            Object v = read(fd, OPTIONS[i]);
            if (v != null && base[i] != null && !equal(v, base[i])) {
                out.add(new Value(i, v));
            }
        }
        return out;
    }

    /** Applies {@code values} to {@code fd}; refusals are answered by their {@link OptionRule}. */
    static Applied apply(int fd, List<Value> values) {
        Applied applied = new Applied();
        for (Value v : values) {
            Opt o = OPTIONS[v.index()];
            try {
                write(fd, o, v.value());
            } catch (ErrnoException e) {
                OptionRule rule = OptionRule.named(o.name());
                String text = o.name() + "=" + text(v.value());
                if (rule == null) {
                    applied.refused.add(text + ": " + e.getMessage());
                } else if (rule.answer() == OptionRule.Answer.KEEP_TCP) {
                    applied.keepTcp = text + " was set and MPTCP refuses it (" + rule.why() + ")";
                    return applied;
                } else if (rule.answer() == OptionRule.Answer.TOS_AT_IPV4) {
                    // IPV6_TCLASS, which the JDK sets for IP_TOS on an IPv6 socket: the kernel takes the value at the
                    // IPv4 level (IPv4 and IPv4-mapped peers), and reads get it from the record
                    NativeSockets.setIntOptionQuietly(fd, Linux.IPPROTO_IP, OptionRule.IP_TOS.option(), ((int[]) v.value())[0]);
                    applied.recorded.add(v);
                } else {
                    applied.recorded.add(v);
                }
            }
        }
        return applied;
    }

    /**
     * Gives the TCP socket {@code fd} for real the values recorded under {@code owner} while it was MPTCP
     * (the kernel refused them there), as the JDK would have set them: IP_TOS on an IPv6 socket is
     * IPV6_TCLASS and IP_TOS. A value TCP refuses too is logged once and dropped.
     */
    static void giveRecorded(int fd, int domain, Object owner) {
        for (java.util.Map.Entry<String, Object> e : RefusedOptions.takeRecorded(owner).entrySet()) {
            OptionRule rule = OptionRule.named(e.getKey());
            Object v = e.getValue();
            if (rule == null || !(v instanceof Integer || v instanceof Boolean)) {
                continue;
            }
            int value = v instanceof Boolean ? ((Boolean) v ? 1 : 0) : (Integer) v;
            try {
                if (rule == OptionRule.IP_TOS && domain == Linux.AF_INET6) {
                    NativeSockets.setIntOption(fd, Linux.IPPROTO_IPV6, IPV6_TCLASS, value);
                }
                NativeSockets.setIntOption(fd, rule.level(), rule.option(), value);
            } catch (ErrnoException x) {
                org.mptcp4j.internal.log.Log.warning("socket option not given back to the TCP socket: " + rule.name() + "=" + v + ": " + x.getMessage());
            }
        }
    }

    private static final int IPV6_TCLASS = 67; // level IPPROTO_IPV6

    private static void write(int fd, Opt o, Object value) throws ErrnoException {
        if (value instanceof byte[]) {
            NativeSockets.setBytesOption(fd, o.level(), o.option(), (byte[]) value);
            return;
        }
        int[] ints = ((int[]) value).clone();
        if (o.doubledByKernel()) {
            ints[0] = ints[0] / 2; // getsockopt reports twice what setsockopt was given
        }
        NativeSockets.setIntsOption(fd, o.level(), o.option(), ints);
    }

    private static Object[] baseline(int key) {
        Object[] base = new Object[OPTIONS.length];
        int fd = -1;
        try {
            fd = NativeSockets.socket(key & 0xff, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, key >>> 8);
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

    private static Object read(int fd, Opt o) {
        try {
            if (o.ints() == 0) {
                byte[] b = NativeSockets.getBytesOption(fd, o.level(), o.option(), STRING_MAX);
                int end = 0;
                while (end < b.length && b[end] != 0) {
                    end++;
                }
                return Arrays.copyOf(b, end);
            }
            return NativeSockets.getIntsOption(fd, o.level(), o.option(), o.ints());
        } catch (ErrnoException e) {
            return null; // not applicable to this family or socket
        }
    }

    private static boolean equal(Object a, Object b) {
        return a instanceof byte[] ? Arrays.equals((byte[]) a, (byte[]) b) : Arrays.equals((int[]) a, (int[]) b);
    }

    private static String text(Object value) {
        return value instanceof byte[] ? new String((byte[]) value, java.nio.charset.StandardCharsets.US_ASCII)
                : Arrays.toString((int[]) value).replaceAll("[\\[\\] ]", "");
    }
}
