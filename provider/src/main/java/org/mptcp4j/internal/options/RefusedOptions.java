package org.mptcp4j.internal.options;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * What to do when an MPTCP socket refuses a socket option that the same call sets fine on TCP: the
 * answers of {@link OptionRule}, applied only after the kernel refused the call on a socket whose
 * SO_PROTOCOL is MPTCP (a failure on a TCP socket is the application's business). Every accepted
 * refusal is counted and explained once per option. Strict callers do not call this.
 * <p>The one policy of every path: the agent (hooked {@code sun.nio.ch.Net} and Netty's native
 * socket), the library's and the SelectorProvider's channel subclasses, the asynchronous channels and
 * the SocketImpl; {@code internal.jdk.JdkOptions} is the call shape of the JDK's sockets. Values are recorded under the object that owns the socket (the
 * JDK's {@link FileDescriptor}, Netty's socket), weakly, so they go with it.
 */
public final class RefusedOptions {
    private RefusedOptions() {}

    private static final Map<Object, Map<String, Object>> RECORDED = new WeakHashMap<>();
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong EMULATED = new AtomicLong(); // not LongAdder: see SocketCounters
    private static volatile boolean anyRecorded;
    private static volatile Runnable firstRecord;

    /** Runs {@code told} when the first value is recorded (at once if one was): the agent's hook looks values up from then on. */
    public static void onFirstRecord(Runnable told) {
        firstRecord = told;
        if (anyRecorded) {
            told.run();
        }
    }

    /** How many option calls were accepted or mapped instead of failing. */
    public static long emulatedCount() {
        return EMULATED.get();
    }

    /**
     * {@code failure} came from setting option {@code name} on socket {@code fd} (owned by {@code owner}):
     * true when it is one MPTCP refuses, TCP accepts and {@link OptionRule} has an answer that lets the
     * call succeed (the answer is then applied).
     */
    public static boolean setRefused(Throwable failure, Object owner, int fd, String name, Object value) {
        OptionRule rule = OptionRule.named(name);
        if (rule == null || !isMptcpRefusal(failure, fd)) {
            return false;
        }
        switch (rule.answer()) {
            case RECORD:
            case RECORD_WHEN_CONNECTED:
                record(owner, rule.name(), value, explanation(rule));
                return true;
            case TOS_AT_IPV4:
                if (!(value instanceof Integer) || domain(fd) != Linux.AF_INET6) {
                    return false;
                }
                int tos = (Integer) value;
                boolean v4 = trySet(fd, Linux.IPPROTO_IP, OptionRule.IP_TOS.option(), tos);
                boolean v6 = trySet(fd, Linux.IPPROTO_IPV6, IPV6_TCLASS, tos);
                record(owner, rule.name(), value, v4 && v6 ? "IP_TOS on a dual-stack MPTCP socket is applied as IP_TOS and IPV6_TCLASS"
                        : v4 ? "IP_TOS on a dual-stack MPTCP socket is applied at the IPv4 level (IPv4 and IPv4-mapped peers); "
                                + "native IPv6 peers keep the default traffic class: the kernel refuses IPV6_TCLASS on MPTCP"
                        : v6 ? "IP_TOS on a dual-stack MPTCP socket is applied as IPV6_TCLASS; IPv4-mapped peers keep the default TOS"
                        : "IP_TOS on an IPv6 MPTCP socket is recorded only: the kernel refuses IP_TOS and IPV6_TCLASS there");
                return true;
            default:
                explainOnce(rule.name() + " refused", rule.name() + " is refused on MPTCP sockets (" + rule.why()
                        + "): the kernel's error stands; set it before connect() and the connection stays TCP");
                return false;
        }
    }

    /**
     * {@code failure} came from reading option {@code name} on socket {@code fd}: the answer TCP would
     * give, or null to let the failure stand. Callers look up {@link #recorded} first, so this only
     * answers reads nothing was recorded for: IP_TOS on an IPv6 socket reads the IPv4-level IP_TOS
     * (what the kernel applies there), TCP_QUICKACK reads true (TCP's value for a socket nobody switched
     * to delayed ACKs; MPTCP keeps no quick-ack state), TCP_USER_TIMEOUT reads 0 (no user timeout
     * applies, which is what 0 means).
     */
    public static Object getRefused(Throwable failure, Object owner, int fd, String name) {
        OptionRule rule = OptionRule.named(name);
        if (rule == null || !isMptcpRefusal(failure, fd)) {
            return null;
        }
        try {
            switch (rule) {
                case IP_TOS:
                    if (domain(fd) != Linux.AF_INET6) {
                        return null;
                    }
                    answered("IP_TOS read", "IP_TOS on a dual-stack MPTCP socket reads the IPv4-level IP_TOS (the kernel refuses IPV6_TCLASS there)");
                    return NativeSockets.getIntOption(fd, Linux.IPPROTO_IP, OptionRule.IP_TOS.option());
                case TCP_QUICKACK:
                    answered("TCP_QUICKACK read", "TCP_QUICKACK reads as true on MPTCP sockets, TCP's default: the kernel keeps no quick-ack state there");
                    return Boolean.TRUE;
                case TCP_USER_TIMEOUT:
                    answered("TCP_USER_TIMEOUT read", "TCP_USER_TIMEOUT reads as 0 on MPTCP sockets: no user timeout applies there");
                    return 0;
                default:
                    return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Counts one answered refusal; the first of each kind is explained in the log. */
    private static void answered(String key, String why) {
        EMULATED.incrementAndGet();
        if (LOGGED.add(key)) {
            Log.warning(why);
        }
    }

    /**
     * The value recorded for option {@code name} of the socket {@code owner} when mptcp4j accepted a set
     * the MPTCP socket refused, else null. Checked before the kernel is asked, so a read returns what
     * the application set.
     */
    public static Object recorded(Object owner, String name) {
        if (owner == null || name == null || !anyRecorded) {
            return null; // the common case, without taking the lock: nothing was ever refused
        }
        OptionRule rule = OptionRule.named(name);
        if (rule == null) {
            return null;
        }
        synchronized (RECORDED) {
            Map<String, Object> m = RECORDED.get(owner);
            return m == null ? null : m.get(rule.name());
        }
    }

    /**
     * Removes and returns the values recorded for {@code owner} (option name to value, empty when none):
     * for a socket that goes back to TCP, which is given them for real.
     */
    public static Map<String, Object> takeRecorded(Object owner) {
        if (owner == null || !anyRecorded) {
            return Map.of();
        }
        synchronized (RECORDED) {
            Map<String, Object> m = RECORDED.remove(owner);
            return m == null ? Map.of() : m;
        }
    }

    /** Records a value the MPTCP socket was not given, without a failed call (a value carried over at a swap). */
    public static void recordCarried(Object owner, OptionRule rule, Object value) {
        if (owner != null) {
            record(owner, rule.name(), value, explanation(rule));
        }
    }

    /**
     * True when {@code failure} is a refusal (an IOException, the UnsupportedOperationException the
     * jdk.net options throw, or the ChannelException Netty's native setters throw) on a socket whose
     * SO_PROTOCOL is MPTCP: a failure on a TCP socket is the application's business.
     */
    private static boolean isMptcpRefusal(Throwable failure, int fd) {
        boolean refusal = failure instanceof IOException || failure instanceof UnsupportedOperationException
                || failure != null && failure.getClass().getName().endsWith(".channel.ChannelException");
        if (!refusal || fd < 0) {
            return false;
        }
        try {
            return NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_PROTOCOL) == Linux.IPPROTO_MPTCP;
        } catch (IOException e) {
            return false;
        }
    }

    private static void record(Object owner, String name, Object value, String why) {
        synchronized (RECORDED) {
            RECORDED.computeIfAbsent(owner, k -> new HashMap<>()).put(name, value);
        }
        if (!anyRecorded) {
            anyRecorded = true;
            Runnable told = firstRecord;
            if (told != null) {
                told.run();
            }
        }
        answered(name, why);
    }

    /** The one line that explains an answered refusal: "TCP_QUICKACK on MPTCP sockets: accepted and recorded without effect (a hint: ...)". */
    static String explanation(OptionRule rule) {
        return rule.name() + " on MPTCP sockets: " + rule.answer().summary() + " (" + rule.why() + ")";
    }

    /** Logs {@code why} the first time {@code key} is seen, without counting an answered call. */
    private static void explainOnce(String key, String why) {
        if (LOGGED.add(key)) {
            Log.warning(why);
        }
    }

    private static boolean trySet(int fd, int level, int option, int value) {
        try {
            NativeSockets.setIntOption(fd, level, option, value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final int IPV6_TCLASS = 67; // level IPPROTO_IPV6

    private static int domain(int fd) {
        try {
            return NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_DOMAIN);
        } catch (IOException e) {
            return -1;
        }
    }
}
