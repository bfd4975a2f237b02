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
import org.mptcp4j.sys.ErrnoException;
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
 *   <li>IP_TOS on an IPv6 (dual-stack) MPTCP socket: applied as IPV6_TCLASS, the closest option the
 *       kernel accepts there (IPv4-mapped traffic keeps its default TOS), and recorded;</li>
 *   <li>anything else: the kernel's refusal stands (the caller rethrows).</li>
 * </ul>
 * Every accepted refusal is logged once per option and counted. Strict callers do not call this.
 * Shared by the agent (hooked {@code sun.nio.ch.Net}) and the SocketImpl path.
 */
public final class OptionCompat {
    private OptionCompat() {}

    private static final Set<String> ACCEPTED_EVERYWHERE = Set.of("SO_OOBINLINE", "TCP_QUICKACK");
    private static final Set<String> ACCEPTED_WHEN_CONNECTED = Set.of("SO_REUSEADDR", "SO_REUSEPORT");

    private static final Map<FileDescriptor, Map<String, Object>> RECORDED = new WeakHashMap<>();
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final LongAdder EMULATED = new LongAdder();
    private static volatile boolean anyRecorded;
    private static volatile Consumer<String> log = m -> System.getLogger("org.mptcp4j").log(System.Logger.Level.WARNING, m);

    /** Where the once-per-option explanations go (the agent sends them to its stderr line). */
    public static void logTo(Consumer<String> sink) {
        log = sink;
    }

    /** How many option calls were accepted or mapped instead of failing. */
    public static long emulatedCount() {
        return EMULATED.sum();
    }

    /**
     * {@code failure} came from setting {@code option} on {@code fd}: returns true when it is one
     * MPTCP refuses but TCP accepts and mptcp4j has a documented answer (the call then succeeds).
     */
    public static boolean setFailed(Throwable failure, FileDescriptor fd, SocketOption<?> option, Object value) {
        if (!(failure instanceof SocketException || failure instanceof UnsupportedOperationException) || fd == null || option == null) {
            return false;
        }
        String name = option.name();
        int fdVal;
        try {
            fdVal = JdkInternals.fdVal(fd);
            if (fdVal < 0 || NativeSockets.getIntOption(fdVal, Linux.SOL_SOCKET, Linux.SO_PROTOCOL) != Linux.IPPROTO_MPTCP) {
                return false; // not MPTCP: a TCP failure is the application's business
            }
        } catch (IOException e) {
            return false;
        }
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
            try {
                NativeSockets.setIntOption(fdVal, Linux.IPPROTO_IPV6, 67 /* IPV6_TCLASS */, (Integer) value);
                record(fd, name, value, "IP_TOS on an IPv6 MPTCP socket is applied as IPV6_TCLASS (the kernel refuses IP_TOS there); "
                        + "traffic to IPv4-mapped peers keeps the default TOS");
            } catch (ErrnoException e) {
                record(fd, name, value, "IP_TOS on an IPv6 MPTCP socket is recorded only: the kernel refuses both IP_TOS and IPV6_TCLASS (" + e.getMessage() + ")");
            }
            return true;
        }
        return false;
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

    private static void record(FileDescriptor fd, String name, Object value, String why) {
        synchronized (RECORDED) {
            RECORDED.computeIfAbsent(fd, k -> new HashMap<>()).put(name, value);
        }
        anyRecorded = true;
        EMULATED.increment();
        if (LOGGED.add(name)) {
            log.accept(why);
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
