package org.mptcp4j.internal.engine;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mptcp4j.MptcpStatus;
import org.mptcp4j.internal.jdk.ChannelSubclasses;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * Per socket, what the kernel cannot say later: that mptcp4j left it on TCP (and why), and how its
 * connection came out when mptcp4j saw it complete (a fallback's reason is read once, while the
 * handshake's traces are fresh). Keyed by SO_COOKIE with the fd number, so a reused fd never inherits
 * another socket's entry. Negotiated connections need no entry: the kernel keeps saying so.
 */
public final class Connections {
    private Connections() {}

    private record Entry(int fd, MptcpStatus decision, Negotiation.Outcome outcome) {}

    private static final Map<Long, Entry> ENTRIES = new ConcurrentHashMap<>();


    /** The channel subclasses' report of a channel about to close (a class, not a lambda: see Policy). */
    private static final class ClosingChannel implements java.util.function.Consumer<java.io.FileDescriptor> {
        @Override
        public void accept(java.io.FileDescriptor fd) {
            try {
                closing(JdkInternals.fdVal(fd));
            } catch (InternalsUnavailableException e) {
                // no fd to look at: no record
            }
        }
    }

    /** Whether a flight recording wants closes recorded (else a close costs a volatile read and this check). */
    public static boolean closingWanted() {
        return SocketEvents.closedWanted();
    }

    /**
     * {@code fd} is about to be closed: when a flight recording wants it, records how the MPTCP connection
     * ended (subflows, bytes). Costs nothing otherwise.
     */
    public static void closing(int fd) {
        if (!closingWanted()) {
            return; // no recording: not even the event object
        }
        try {
            SocketEvents.closed(fd);
        } catch (RuntimeException | LinkageError e) {
            // the close is the application's
        }
    }

    /** Makes sure the channel subclasses report to this class (called where they are made). */
    public static void listen() {
        Listening.start();
    }

    /** Its initialiser hands the channel subclasses their two reports, once; a JVM that makes no subclass never loads them. */
    private static final class Listening {
        static {
            ChannelSubclasses.established = new FromChannelSubclasses();
            ChannelSubclasses.closing = new ClosingChannel();
        }

        static void start() {
            // the initialiser did it
        }
    }

    /** The channel subclasses' report of a completed connection (a class, not a lambda: see Policy). */
    private static final class FromChannelSubclasses implements java.util.function.BiConsumer<java.io.FileDescriptor, java.io.FileDescriptor> {
        @Override
        public void accept(java.io.FileDescriptor fd, java.io.FileDescriptor listener) {
            try {
                if (listener == null) {
                    established(JdkInternals.fdVal(fd), Negotiation.Origin.CLIENT);
                } else {
                    accepted(JdkInternals.fdVal(fd), JdkInternals.fdVal(listener));
                }
            } catch (InternalsUnavailableException e) {
                // no fd to look at: not counted
            }
        }
    }

    /** Whether the listener {@code fd} is MPTCP: then a plain socket it accepted is a plain client. */
    public static Negotiation.Origin origin(int listenerFd) {
        try {
            return NativeSockets.getIntOption(listenerFd, Linux.SOL_SOCKET, Linux.SO_PROTOCOL) == Linux.IPPROTO_MPTCP
                    ? Negotiation.Origin.MPTCP_LISTENER : Negotiation.Origin.TCP_LISTENER;
        } catch (ErrnoException | LinkageError e) {
            return Negotiation.Origin.UNKNOWN; // closed, or no native library (then nothing is counted anyway)
        }
    }
    private static volatile int pruneAt = 4096;

    /** mptcp4j left {@code fd} on TCP ({@link MptcpStatus#KEPT_TCP}) or could not make it MPTCP ({@link MptcpStatus#UNAVAILABLE}). */
    static void decided(int fd, MptcpStatus decision, String side) {
        if (decision == MptcpStatus.KEPT_TCP) {
            SocketCounters.JVM.keptTcp(side);
        } else {
            SocketCounters.JVM.unavailable(side);
        }
        if (fd >= 0) {
            put(fd, new Entry(fd, decision, null));
        }
    }

    /** The library opened or upgraded {@code fd}: counts it as converted, or as MPTCP unavailable. */
    public static void opened(int fd, boolean listener) {
        Jmx.register("library", "library");
        String side = listener ? "listener" : "client";
        try {
            if (NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_PROTOCOL) == Linux.IPPROTO_MPTCP) {
                SocketCounters.JVM.converted(side);
            } else {
                decided(fd, MptcpStatus.UNAVAILABLE, side);
            }
        } catch (ErrnoException | LinkageError e) {
            // closed meanwhile by another thread, or no native library: nothing to count
        }
    }

    /** The library opened a socket it made MPTCP itself: counts it as converted. */
    public static void openedMptcp(boolean listener) {
        Jmx.register("library", "library");
        SocketCounters.JVM.converted(listener ? "listener" : "client");
    }

    /**
     * A connection just completed on {@code fd}: connect() returned connected, or accept() returned it.
     * Counts and records its outcome once; sockets mptcp4j left on TCP are not connections it negotiated.
     */
    public static void established(int fd, Negotiation.Origin origin) {
        established(fd, origin, -1);
    }

    /**
     * {@link #established(int, Negotiation.Origin)} for a connection accepted from {@code listenerFd}: what kind
     * of listener that is gets read only when the connection is not MPTCP (it tells a plain client from TCP).
     */
    public static void accepted(int fd, int listenerFd) {
        established(fd, null, listenerFd);
    }

    private static void established(int fd, Negotiation.Origin origin, int listenerFd) {
        try {
            Entry e = ENTRIES.isEmpty() ? null : ENTRIES.get(NativeSockets.cookie(fd)); // no entry to find: no cookie to read
            if (e != null && (e.decision != null || e.outcome != null)) {
                return; // left on TCP, or already seen
            }
            Negotiation.Outcome o = origin != null ? Negotiation.of(fd, origin) : Negotiation.isMptcp(fd) ? Negotiation.Outcome.MPTCP
                    : Negotiation.of(fd, origin(listenerFd));
            if (o.status() == MptcpStatus.TCP) {
                return; // a plain socket mptcp4j had nothing to do with
            }
            if (o.status() == MptcpStatus.MPTCP) {
                SocketCounters.JVM.negotiated();
            } else {
                SocketCounters.JVM.fellBack(o.reason());
                put(fd, new Entry(fd, null, o));
            }
            SocketEvents.connection(origin == Negotiation.Origin.CLIENT ? "client" : "server", fd, o);
        } catch (IOException | RuntimeException | LinkageError e) {
            // the connection is the application's: a socket closed meanwhile, an unreadable detail or a missing
            // native library must not fail it
        }
    }

    /**
     * The status of {@code fd} as the public API reports it, with the fallback reason. A fallback seen
     * here for the first time is counted: one after the handshake (options removed, stream changed)
     * cannot be seen when the connection completes.
     */
    public static Negotiation.Outcome status(int fd) throws IOException {
        Entry e = ENTRIES.get(NativeSockets.cookie(fd));
        if (e != null && e.fd == fd) {
            if (e.decision != null) {
                return new Negotiation.Outcome(e.decision, null, "");
            }
            if (e.outcome != null) {
                return e.outcome;
            }
        }
        Negotiation.Outcome o = Negotiation.of(fd);
        if (o.status() == MptcpStatus.FALLBACK) {
            SocketCounters.JVM.fellBack(o.reason());
            put(fd, new Entry(fd, null, o));
        }
        return o;
    }

    private static void put(int fd, Entry entry) {
        try {
            ENTRIES.put(NativeSockets.cookie(fd), entry);
        } catch (ErrnoException e) {
            return; // closed already: nothing to remember
        } catch (LinkageError e) {
            return; // no native library (the reason the socket stayed TCP): counted, not remembered
        }
        if (ENTRIES.size() >= pruneAt) {
            prune();
        }
    }

    /** Drops the entries of closed sockets (their fd is gone or now names another socket); amortised over many puts. */
    private static synchronized void prune() {
        if (ENTRIES.size() < pruneAt) {
            return;
        }
        for (Iterator<Map.Entry<Long, Entry>> it = ENTRIES.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Entry> m = it.next();
            try {
                if (NativeSockets.cookie(m.getValue().fd) != m.getKey()) {
                    it.remove();
                }
            } catch (ErrnoException e) {
                it.remove();
            }
        }
        pruneAt = Math.max(4096, ENTRIES.size() * 2);
    }

}
