package org.mptcp4j.upgrade;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.mptcp4j.sys.Linux;
import org.mptcp4j.sys.NativeSockets;

/**
 * What to do when an MPTCP socket refuses a socket option that the same call sets fine on TCP
 * (kernel 6.18: SO_OOBINLINE, TCP_QUICKACK and IP_TOS on an IPv6 socket give EOPNOTSUPP;
 * SO_REUSEADDR/SO_REUSEPORT on a connected socket give EINVAL). Decided per option:
 * <ul>
 *   <li>SO_OOBINLINE (MPTCP carries no urgent data), TCP_QUICKACK (a hint), SO_REUSEADDR and
 *       SO_REUSEPORT on a connected socket (meaningless once connected): accepted as TCP would
 *       accept them, the value recorded so that getOption returns it;</li>
 *   <li>IP_TOS on an IPv6 (dual-stack) MPTCP socket: applied at the IPv4 level (IP_TOS), which the
 *       kernel takes there and which marks IPv4 and IPv4-mapped traffic; IPV6_TCLASS too where the
 *       kernel takes it (6.18 does not, so native IPv6 peers keep the default class); recorded;</li>
 *   <li>anything else: the kernel's refusal stands (the caller rethrows).</li>
 * </ul>
 * Reads the MPTCP socket refuses (TCP_QUICKACK; IP_TOS on an IPv6 socket, which the JDK reads as
 * IPV6_TCLASS) get the answer TCP would give ({@link #getFailed}). Every accepted refusal is logged
 * once per option and counted. Strict callers do not call this.
 * <p>The one policy of every path: the agent (hooked {@code sun.nio.ch.Net}), the library's and the
 * SelectorProvider's channel subclasses ({@link CompatChannels}), the asynchronous channels
 * ({@link AsynchronousChannels}) and the SocketImpl; {@link #set} and {@link #get} are their call shape.
 */
public final class OptionCompat {
    private OptionCompat() {}

    private static final Set<String> ACCEPTED_EVERYWHERE = Set.of("SO_OOBINLINE", "TCP_QUICKACK");
    private static final Set<String> ACCEPTED_WHEN_CONNECTED = Set.of("SO_REUSEADDR", "SO_REUSEPORT");
    private static final int IP_TOS = 1;       // level IPPROTO_IP
    private static final int IPV6_TCLASS = 67; // level IPPROTO_IPV6

    private static final Map<FileDescriptor, Map<String, Object>> RECORDED = new WeakHashMap<>();
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final LongAdder EMULATED = new LongAdder();
    private static volatile boolean anyRecorded;
    private static volatile Consumer<String> log = new SystemLog();

    /** The default sink (a class, not a lambda: this class is loaded at the first option read, and stays cheap). */
    private static final class SystemLog implements Consumer<String> {
        @Override
        public void accept(String message) {
            System.getLogger("org.mptcp4j").log(System.Logger.Level.WARNING, message);
        }
    }

    /** Where the once-per-option explanations go (the agent sends them to its stderr line). */
    public static void logTo(Consumer<String> sink) {
        log = sink;
    }

    /** How many option calls were accepted or mapped instead of failing. */
    public static long emulatedCount() {
        return EMULATED.sum();
    }

    /** A socket-option call into the kernel (through the JDK). */
    @FunctionalInterface
    public interface KernelCall<T> {
        T call() throws IOException;
    }

    /**
     * Sets an option through {@code kernel}; a refusal that MPTCP gives but TCP would not is answered
     * by {@link #setFailed} instead of thrown. The one set path of every socket kind mptcp4j wraps.
     */
    public static void set(KernelCall<?> kernel, FileDescriptor fd, SocketOption<?> option, Object value) throws IOException {
        try {
            kernel.call();
        } catch (SocketException | UnsupportedOperationException e) { // jdk.net options report EOPNOTSUPP as the latter
            if (!setFailed(e, fd, option, value)) {
                throw e;
            }
        }
    }

    /**
     * Reads an option: the value recorded for an accepted refusal first, else {@code kernel}, whose
     * MPTCP-only refusal is answered by {@link #getFailed}. The one read path of every socket kind.
     */
    @SuppressWarnings("unchecked")
    public static <T> T get(KernelCall<T> kernel, FileDescriptor fd, SocketOption<?> option) throws IOException {
        Object recorded = recorded(fd, option);
        if (recorded != null) {
            return (T) recorded;
        }
        try {
            return kernel.call();
        } catch (SocketException | UnsupportedOperationException e) {
            Object answer = getFailed(e, fd, option);
            if (answer == null) {
                throw e;
            }
            return (T) answer;
        }
    }

    /**
     * {@code failure} came from setting {@code option} on {@code fd}: returns true when it is one
     * MPTCP refuses but TCP accepts and mptcp4j has a documented answer (the call then succeeds).
     */
    public static boolean setFailed(Throwable failure, FileDescriptor fd, SocketOption<?> option, Object value) {
        int fdVal = mptcpRefusal(failure, fd, option);
        if (fdVal < 0) {
            return false;
        }
        String name = option.name();
        if (ACCEPTED_EVERYWHERE.contains(name)) {
            record(fd, name, value, name + " is accepted and recorded on MPTCP sockets without effect: "
                    + (name.equals("SO_OOBINLINE") ? "MPTCP carries no urgent (out-of-band) data" : "the kernel has no quick-ack control on MPTCP sockets"));
            return true;
        }
        // set on listeners and unconnected sockets they work; only a connected MPTCP socket refuses them
        if (ACCEPTED_WHEN_CONNECTED.contains(name)) {
            record(fd, name, value, name + " on a connected MPTCP socket is accepted and recorded without effect (it only matters before bind)");
            return true;
        }
        if (name.equals("IP_TOS") && value instanceof Integer && domain(fdVal) == Linux.AF_INET6) {
            // the kernel takes IP_TOS at the IPv4 level on an IPv6 MPTCP socket (it applies to IPv4 and
            // IPv4-mapped subflows, the JDK's dual-stack case) but refuses IPV6_TCLASS: apply what it takes
            int tos = (Integer) value;
            boolean v4 = trySet(fdVal, Linux.IPPROTO_IP, IP_TOS, tos);
            boolean v6 = trySet(fdVal, Linux.IPPROTO_IPV6, IPV6_TCLASS, tos);
            record(fd, name, value, v4 && v6 ? "IP_TOS on a dual-stack MPTCP socket is applied as IP_TOS and IPV6_TCLASS"
                    : v4 ? "IP_TOS on a dual-stack MPTCP socket is applied at the IPv4 level (IPv4 and IPv4-mapped peers); "
                            + "native IPv6 peers keep the default traffic class: the kernel refuses IPV6_TCLASS on MPTCP"
                    : v6 ? "IP_TOS on a dual-stack MPTCP socket is applied as IPV6_TCLASS; IPv4-mapped peers keep the default TOS"
                    : "IP_TOS on an IPv6 MPTCP socket is recorded only: the kernel refuses IP_TOS and IPV6_TCLASS there");
            return true;
        }
        return false;
    }

    /**
     * {@code failure} came from reading {@code option} on {@code fd}: the answer TCP would give, or
     * null to let the failure stand. Callers look up {@link #recorded} before asking the kernel, so
     * this only answers reads nothing was recorded for: on an MPTCP socket, IP_TOS on an IPv6 socket
     * reads the IPv4-level IP_TOS (the kernel refuses IPV6_TCLASS but applies IP_TOS there), and
     * TCP_QUICKACK reads as true, TCP's value for a socket nobody switched to delayed ACKs (the
     * kernel has no quick-ack state on MPTCP sockets).
     */
    public static Object getFailed(Throwable failure, FileDescriptor fd, SocketOption<?> option) {
        int fdVal = mptcpRefusal(failure, fd, option);
        if (fdVal < 0) {
            return null;
        }
        try {
            switch (option.name()) {
                case "IP_TOS":
                    if (domain(fdVal) != Linux.AF_INET6) {
                        return null;
                    }
                    answered("IP_TOS read", "IP_TOS on a dual-stack MPTCP socket reads the IPv4-level IP_TOS (the kernel refuses IPV6_TCLASS there)");
                    return NativeSockets.getIntOption(fdVal, Linux.IPPROTO_IP, IP_TOS);
                case "TCP_QUICKACK":
                    answered("TCP_QUICKACK read", "TCP_QUICKACK reads as true on MPTCP sockets, TCP's default: the kernel keeps no quick-ack state there");
                    return Boolean.TRUE;
                default:
                    return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Counts one answered refusal; the first of each kind is explained in the log. */
    private static void answered(String key, String why) {
        EMULATED.increment();
        if (LOGGED.add(key)) {
            log.accept(why);
        }
    }

    /**
     * The value recorded for {@code option} when mptcp4j accepted a set the MPTCP socket refused, else
     * null. Checked before the kernel is asked, so getOption returns what the application set.
     */
    public static Object recorded(FileDescriptor fd, SocketOption<?> option) {
        if (fd == null || option == null || !anyRecorded) {
            return null; // the common case, without taking the lock: nothing was ever refused
        }
        synchronized (RECORDED) {
            Map<String, Object> m = RECORDED.get(fd);
            return m == null ? null : m.get(option.name());
        }
    }

    /**
     * The fd number when {@code failure} is a refusal (SocketException, or UnsupportedOperationException
     * from the jdk.net options) on a socket whose SO_PROTOCOL is MPTCP; else -1: a failure on a TCP
     * socket is the application's business.
     */
    private static int mptcpRefusal(Throwable failure, FileDescriptor fd, SocketOption<?> option) {
        if (!(failure instanceof SocketException || failure instanceof UnsupportedOperationException) || fd == null || option == null) {
            return -1;
        }
        try {
            int fdVal = JdkInternals.fdVal(fd);
            return fdVal >= 0 && NativeSockets.getIntOption(fdVal, Linux.SOL_SOCKET, Linux.SO_PROTOCOL) == Linux.IPPROTO_MPTCP ? fdVal : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void record(FileDescriptor fd, String name, Object value, String why) {
        synchronized (RECORDED) {
            RECORDED.computeIfAbsent(fd, k -> new HashMap<>()).put(name, value);
        }
        anyRecorded = true;
        answered(name, why);
    }

    private static boolean trySet(int fd, int level, int option, int value) {
        try {
            NativeSockets.setIntOption(fd, level, option, value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int domain(int fd) {
        try {
            return NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_DOMAIN);
        } catch (IOException e) {
            return -1;
        }
    }
}
