package org.mptcp4j.agent;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mptcp4j.agent.HookPoint.Feature;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.swap.FdSwap;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * The agent's view of Netty's native transports, in every copy of Netty the application carries
 * (gRPC's relocated one included). Listeners are decided when created. Clients are decided when
 * created if the policy does not look at destinations, else when they connect; until then their
 * epoll registration is tracked, because Netty 4.1 registers a client with its event loop before
 * connecting and a swap puts a new open file behind the fd, which the registration does not follow.
 * Netty calls epoll_ctl for a channel only on that channel's event loop, the thread that also
 * connects it, so nothing can change the registration between the swap and its restoration.
 */
final class NettySockets {
    private static final int EPOLL_CTL_DEL = 2;

    private final Engine engine;
    private final Features features;
    /** Client fds created but not yet connected, whose decision waits for the destination. */
    private final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();

    /** A client waiting for its connect: which transport, and its epoll registration if it has one ({@code epfd} < 0: none). */
    private record Pending(boolean ioUring, int epfd, int events) {
        Pending registered(int fd, int flags) {
            return new Pending(ioUring, fd, flags);
        }
    }

    NettySockets(Engine engine, Features features) {
        this.engine = engine;
        this.features = features;
    }

    /** Which Netty copies were woven with which {@link Feature}s, keyed by package prefix ("io.netty"). */
    static final class Features {
        /** The key of the JDK's own hook points. */
        static final String JDK = "";

        private final ConcurrentHashMap<String, Set<Feature>> byPrefix = new ConcurrentHashMap<>();

        void add(String prefix, Set<Feature> woven) {
            Set<Feature> known = byPrefix.get(prefix); // no lambda: this runs as the first socket class is woven
            if (known == null) {
                Set<Feature> fresh = ConcurrentHashMap.newKeySet();
                known = byPrefix.putIfAbsent(prefix, fresh);
                known = known == null ? fresh : known;
            }
            known.addAll(woven);
        }

        /** Bit {@code ordinal()} per target: read at every JDK socket, so a field read rather than a set lookup. */
        private volatile int unrecognised;

        /** A target class was loaded and none of its hook points matched. */
        synchronized void markUnrecognised(HookPoint.Target target) {
            unrecognised |= 1 << target.ordinal();
        }

        boolean isUnrecognised(HookPoint.Target target) {
            return (unrecognised & 1 << target.ordinal()) != 0;
        }

        boolean has(String prefix, Feature f) {
            Set<Feature> s = byPrefix.get(prefix);
            return s != null && s.contains(f);
        }
    }

    void created(int fd, String netty) throws IOException {
        Caller caller = Caller.find(netty);
        String transport = caller.ioUring ? "io_uring" : "epoll";
        if (caller.ioUring && !features.has(caller.prefix, Feature.URING_READ)) {
            // its read loop would wait for data an MPTCP socket already holds (see URING_READ)
            engine.keptTcp("Netty io_uring sockets of " + caller.prefix + " stay TCP: this Netty's io_uring read loop "
                    + "is not one mptcp4j recognises");
            return;
        }
        if (caller.server) {
            engine.fdCreated(fd, true);
            return;
        }
        if (!engine.decidedAtConnect()) {
            engine.fdCreated(fd, false);
            return;
        }
        boolean decidableAtConnect = caller.ioUring
                ? features.has(caller.prefix, Feature.URING_CONNECT)
                : features.has(netty, Feature.CONNECT) && features.has(caller.prefix, Feature.EPOLL_REGISTRATION);
        if (!decidableAtConnect) {
            engine.keptTcp("Netty " + transport + " clients of " + caller.prefix + " stay TCP: the policy decides clients "
                    + "by destination, and this Netty's connect path is not one mptcp4j recognises");
            return;
        }
        pending.put(fd, new Pending(caller.ioUring, -1, 0));
    }

    void epollCtl(int op, int epfd, int fd, int events) {
        if (pending.isEmpty()) {
            return; // the common case: every epoll_ctl of a running server comes here
        }
        pending.computeIfPresent(fd, (k, p) -> op == EPOLL_CTL_DEL ? p.registered(-1, 0) : p.registered(epfd, events));
    }

    /**
     * A Netty fd is closing: a client that never connected (a failed name resolution closes it registered) leaves
     * nothing behind for the socket that gets its number next, a UDP one among them.
     */
    void closing(int fd) {
        if (!pending.isEmpty()) {
            pending.remove(fd);
        }
    }

    void beforeConnect(Object socket, int fd, InetSocketAddress destination) throws IOException {
        Pending p = pending.remove(fd);
        if (p == null) {
            return; // decided at creation, or created before the agent came
        }
        engine.fdBeforeConnect(fd, destination, new FdSwap.Carry(socket, p.epfd(), p.events()));
    }

    /**
     * Whether a Netty io_uring channel's socket is MPTCP (when in doubt: yes, the answer that is always
     * safe). Netty io_uring ends a read loop when a receive completes without IORING_CQE_F_SOCK_NONEMPTY,
     * then waits for POLLIN, armed multishot, which fires on new data only. The kernel sets that flag
     * from the protocol's receive-queue hint, which MPTCP's recvmsg does not give, so on an MPTCP socket
     * data already queued would wait for more to arrive: there, POLLIN is armed one-shot (the kernel
     * checks readiness when it is armed) and the read loop is told the socket may hold data.
     */
    boolean isMptcp(Object channel) {
        int fd = ChannelFd.HANDLES.fd(channel);
        if (fd < 0) {
            return true;
        }
        try {
            return NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_PROTOCOL) == Linux.IPPROTO_MPTCP;
        } catch (IOException e) {
            return true;
        }
    }

    /** {@code channel.fd().intValue()} of a Netty io_uring channel, through handles found once per class. */
    private static final class ChannelFd extends ClassValue<MethodHandle> {
        /** Made at the first io_uring channel, not with the agent: a program without Netty loads no ClassValue for it. */
        static final ChannelFd HANDLES = new ChannelFd();

        int fd(Object channel) {
            MethodHandle h = get(channel.getClass());
            try {
                return h == null ? -1 : (int) h.invoke(channel);
            } catch (Throwable t) {
                return -1;
            }
        }

        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                java.lang.reflect.Method fd = findMethod(type, "fd");
                fd.setAccessible(true);
                java.lang.reflect.Method intValue = findMethod(fd.getReturnType(), "intValue");
                intValue.setAccessible(true);
                MethodHandles.Lookup l = MethodHandles.lookup();
                return MethodHandles.filterReturnValue(l.unreflect(fd), l.unreflect(intValue))
                        .asType(MethodType.methodType(int.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private static java.lang.reflect.Method findMethod(Class<?> type, String name) throws NoSuchMethodException {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(name) && m.getParameterCount() == 0) {
                        return m;
                    }
                }
            }
            throw new NoSuchMethodException(type.getName() + "." + name + "()");
        }
    }

    /** Which Netty channel class is creating the socket: its transport, its side, its package prefix. */
    private static final class Caller {
        final boolean server;
        final boolean ioUring;
        final String prefix;

        private Caller(boolean server, boolean ioUring, String prefix) {
            this.server = server;
            this.ioUring = ioUring;
            this.prefix = prefix;
        }

        /**
         * Netty has one native call for server and client sockets of both transports: the channel
         * class under construction tells them apart ({@code EpollServerSocketChannel},
         * {@code IoUringSocketChannel}, ... in any package).
         */
        static Caller find(String netty) {
            String channel = StackWalker.getInstance().walk(frames -> frames.limit(24)
                    .map(StackWalker.StackFrame::getClassName)
                    .filter(n -> (n.contains(".channel.epoll.") || n.contains(".channel.uring.")) && n.endsWith("SocketChannel"))
                    .findFirst().orElse(null));
            if (channel == null) {
                return new Caller(false, false, netty);
            }
            return new Caller(channel.endsWith("ServerSocketChannel"), channel.contains(".channel.uring."),
                    channel.substring(0, channel.indexOf(".channel.")));
        }
    }
}
