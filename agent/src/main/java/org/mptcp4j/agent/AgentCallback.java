package org.mptcp4j.agent;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.util.List;
import org.mptcp4j.agent.boot.MptcpHook;
import org.mptcp4j.internal.engine.Connections;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.engine.Jmx;
import org.mptcp4j.internal.engine.Negotiation;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.jdk.JdkOptions;
import org.mptcp4j.internal.jdk.SocketHandle;
import org.mptcp4j.internal.options.RefusedOptions;
import org.mptcp4j.internal.swap.FdSwap;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/** Receives the hook's events and lets the shared {@link Engine} apply the policy. */
final class AgentCallback implements MptcpHook.Callback {
    private final Engine engine;
    private final NettySockets.Features features;
    private final NettySockets netty;
    private final String policy; // as the JMX registration at the first socket shows it
    private final boolean atConnect; // clients are decided at connect (the policy looks at destinations): see created
    private volatile boolean seen;

    AgentCallback(Engine engine, NettySockets.Features features, String policy) {
        this.engine = engine;
        this.features = features;
        this.netty = new NettySockets(engine, features);
        this.policy = policy;
        this.atConnect = engine.policy().clientDependsOnDestination(); // the installer starts no agent on a bad policy
    }

    private void touch() {
        if (!seen) {
            seen = true;
            Jmx.register("agent", policy);
        }
    }

    /**
     * JDK sockets created under the agent, by fd number (bounded by the process's fd limit): whether an
     * option was set on them since ({@link #CONFIGURED}), whether they were created MPTCP in place of
     * the JDK's socket ({@link #MPTCP}) and whether a SocketChannel's connect decided them already
     * ({@link #DECIDED}, for its Net.connect). A client decided at connect that was seen created and never
     * configured has nothing to carry but its binding; any other (created before the agent came) has
     * its options read. Kept only when clients are decided at connect: otherwise nothing reads it.
     */
    private final FdStates created = new FdStates();
    private static final int CONFIGURED = 1;
    private static final int MPTCP = 2;
    private static final int DECIDED = 4;

    /** The fd {@link #creatingSocket} made on this thread, until the JDK's {@code Net.socket} returns it. */
    private static final ThreadLocal<int[]> MADE = new ThreadLocal<>();

    /** This thread's {@link #MADE}; set on first use (no lambda: its bootstrap would run at the first socket). */
    private static int[] made() {
        int[] made = MADE.get();
        if (made == null) {
            made = new int[] {-1};
            MADE.set(made);
        }
        return made;
    }

    @Override
    public int creatingSocket(boolean server, boolean ipv6, boolean reuse) {
        if (!seen) {
            touch(); // the native binding and the availability probe, as for the first socket seen
        }
        // a client decided at connect may sit in a Selector by then: only with the SocketChannel hook to see it
        int fd = !server && features.isUnrecognised(HookPoint.Target.JDK_SOCKET_CHANNEL) ? -1 : engine.mptcpSocket(server, ipv6, reuse);
        made()[0] = fd;
        return fd;
    }

    @Override
    public void optionSetting(FileDescriptor fd) throws Exception {
        if (!atConnect) {
            return;
        }
        created.addIfPresent(JdkInternals.fdVal(fd), CONFIGURED);
    }

    /** What the swap at connect of a socket in {@code state} ({@link FdStates#take}) carries. */
    private static FdSwap.Carry carry(int state, FdSwap.Carry carry) {
        return state >= 0 && (state & CONFIGURED) == 0 ? carry.withoutOptions() : carry;
    }

    private static boolean isMptcp(int state) {
        return state >= 0 && (state & MPTCP) != 0;
    }

    @Override
    public void socketCreated(FileDescriptor fd, boolean server) throws Exception {
        int fdVal = JdkInternals.fdVal(fd);
        int[] made = made();
        boolean mptcp = made[0] == fdVal;
        made[0] = -1;
        if (atConnect) {
            created.put(fdVal, mptcp ? MPTCP : 0); // also a reused fd number: a new socket, nothing set yet
        }
        if (mptcp) {
            engine.fdCreatedMptcp(fdVal, server);
            return;
        }
        if (!seen) {
            long start = System.nanoTime();
            touch();
            engine.fdCreated(fdVal, server);
            AgentLog.debug("first socket handled in " + (System.nanoTime() - start) / 1_000_000 + " ms (native binding, availability probe)");
            return;
        }
        engine.fdCreated(fdVal, server);
    }

    @Override
    public void datagramCreated(FileDescriptor fd) throws Exception {
        if (atConnect) {
            created.take(JdkInternals.fdVal(fd)); // what a closed stream socket left under this number: not this socket's
        }
    }

    /**
     * A non-blocking SocketChannel may already be registered with a Selector, which adds its fd to an
     * epoll set once the interest set is non-zero; a swap puts a new open file behind the fd and the
     * kernel drops that registration, while the JDK believes it is there (its later EPOLL_CTL_MOD fails
     * with ENOENT, which the JDK ignores: the channel would never be selected again). So the decision is
     * taken here, under the channel's registration lock, its I/O and state locks and the Selector's
     * update lock (in the JDK's own order), and the registration is restored on the new file.
     */
    @Override
    public void channelConnecting(Object channel, Object remote) throws Exception {
        if (!atConnect || !(channel instanceof SocketChannel)) {
            return; // decided at creation
        }
        int decided = decide((SocketChannel) channel, (InetSocketAddress) remote);
        if (decided >= 0) {
            created.put(decided, DECIDED); // taken by the Net.connect the channel makes next
        }
    }

    /** {@link #channelConnecting}: the channel's fd once decided, -1 when the JDK's connect will throw. */
    private int decide(SocketChannel sc, InetSocketAddress remote) throws Exception {
        FileDescriptor fdObject = JdkInternals.fileDescriptor(sc);
        SocketHandle handle = JdkInternals.handle(sc);
        Object regLock = JdkInternals.registrationLock((AbstractSelectableChannel) sc);
        synchronized (regLock != null ? regLock : sc) {
            List<JdkInternals.SelectorRegistration> registrations;
            try {
                registrations = JdkInternals.selectorRegistrations((AbstractSelectableChannel) sc);
            } catch (InternalsUnavailableException e) {
                if (!sc.isRegistered()) {
                    registrations = List.of();
                } else {
                    engine.keptTcp("a SocketChannel registered before connect() with a Selector mptcp4j cannot see into stays TCP: "
                            + e.getMessage());
                    return handle.fd();
                }
            }
            if (registrations.size() > 1) {
                engine.keptTcp("a SocketChannel registered with several Selectors before connect() stays TCP");
                return handle.fd();
            }
            List<JdkInternals.SelectorRegistration> found = registrations;
            return handle.locked(fd -> {
                if (!sc.isOpen() || sc.isConnected() || sc.isConnectionPending()) {
                    return -1; // the JDK's connect throws as usual
                }
                int state = created.take(fd);
                if (found.isEmpty()) {
                    engine.fdBeforeConnect(fd, remote, carry(state, FdSwap.Carry.options(fdObject)), isMptcp(state));
                    return fd;
                }
                JdkInternals.SelectorRegistration r = found.get(0);
                synchronized (r.updateLock()) { // the Selector changes its epoll set only under this lock
                    int events = r.key().isValid() ? r.registeredEvents() : 0;
                    FdSwap.Carry carry = carry(state, new FdSwap.Carry(fdObject, events > 0 ? r.epfd() : -1, Math.max(events, 0)));
                    engine.fdBeforeConnect(fd, remote, carry, isMptcp(state));
                }
                return fd;
            });
        }
    }

    @Override
    public void beforeConnect(FileDescriptor fd, Object address, int port) throws Exception {
        if (!atConnect) {
            return; // decided at creation
        }
        int fdVal = JdkInternals.fdVal(fd);
        int state = created.take(fdVal);
        if (state >= 0 && (state & DECIDED) != 0) {
            return; // a SocketChannel's connect: decided at its entry
        }
        // not seen created as a stream socket: a DatagramChannel or DatagramSocket connecting, or a socket from before the
        // agent (unreadable: left to the JDK's connect, which reports it)
        if (state < 0 && NativeSockets.getIntOptionOr(fdVal, Linux.SOL_SOCKET, Linux.SO_TYPE, -1) != Linux.SOCK_STREAM) {
            return;
        }
        InetSocketAddress target = address instanceof InetSocketAddress ? (InetSocketAddress) address
                : new InetSocketAddress((InetAddress) address, Math.max(port, 0));
        FdSwap.Carry carry = carry(state, FdSwap.Carry.options(fd));
        if (features.isUnrecognised(HookPoint.Target.JDK_SOCKET_CHANNEL)
                && (NativeSockets.fcntl(fdVal, Linux.F_GETFL, 0) & Linux.O_NONBLOCK) != 0) {
            // without the SocketChannel hook a non-blocking client may sit in a Selector's epoll set: leave it
            if (isMptcp(state)) {
                engine.restoreTcp(fdVal, carry); // a java.net socket (channels are not made MPTCP then): never in a Selector
            }
            engine.keptTcp("non-blocking JDK clients stay TCP: this JDK's SocketChannelImpl is not one mptcp4j recognises");
            return;
        }
        engine.fdBeforeConnect(fdVal, target, carry, isMptcp(state));
    }

    @Override
    public void nettySocketCreated(int fd, String prefix) throws Exception {
        touch();
        netty.created(fd, prefix);
    }

    @Override
    public void nettyBeforeConnect(Object socket, int fd, Object address) throws Exception {
        netty.beforeConnect(socket, fd, (InetSocketAddress) address);
    }

    @Override
    public void nettyEpollCtl(int op, int epfd, int fd, int events) {
        netty.epollCtl(op, epfd, fd, events);
    }

    @Override
    public boolean nettyMultishotPoll(boolean nettySays, Object channel) {
        return nettySays && !netty.isMptcp(channel);
    }

    @Override
    public boolean nettySocketIsEmpty(boolean kernelSays, Object channel) {
        return kernelSays && !netty.isMptcp(channel);
    }

    @Override
    public boolean optionSetFailed(Throwable failure, FileDescriptor fd, Object option, Object value) {
        return !engine.policy().strict() && option instanceof SocketOption
                && JdkOptions.setFailed(failure, fd, (SocketOption<?>) option, value);
    }

    @Override
    public Object optionGetFailed(Throwable failure, FileDescriptor fd, Object option) {
        if (engine.policy().strict() || !(option instanceof SocketOption)) {
            return null;
        }
        // no failure: the entry check for a recorded value; a failure: what TCP would answer, if anything
        return failure == null ? JdkOptions.recorded(fd, (SocketOption<?>) option)
                : JdkOptions.getFailed(failure, fd, (SocketOption<?>) option);
    }

    @Override
    public boolean nettyOptionSetFailed(Throwable failure, Object socket, int fd, String name, Object value) {
        return !engine.policy().strict() && RefusedOptions.setRefused(failure, socket, fd, name, value);
    }

    @Override
    public Object nettyOptionGetFailed(Throwable failure, Object socket, int fd, String name) {
        if (engine.policy().strict()) {
            return null;
        }
        return failure == null ? RefusedOptions.recorded(socket, name) : RefusedOptions.getRefused(failure, socket, fd, name);
    }

    @Override
    public void established(FileDescriptor socket, FileDescriptor listener) {
        int fd;
        int listenerFd;
        try {
            fd = JdkInternals.fdVal(socket);
            listenerFd = listener == null ? -1 : JdkInternals.fdVal(listener);
        } catch (InternalsUnavailableException e) {
            return; // nothing to look at: not counted
        }
        nettyEstablished(fd, listenerFd);
    }

    @Override
    public void nettyEstablished(int fd, int listenerFd) {
        if (listenerFd < 0) {
            Connections.established(fd, Negotiation.Origin.CLIENT);
        } else {
            Connections.accepted(fd, listenerFd);
        }
    }

    @Override
    public void closing(Object socket) {
        if (socket instanceof Integer) {
            netty.closing((Integer) socket);
        }
        if (!Connections.closingWanted()) {
            return; // no recording wants the event: not even an fd lookup
        }
        int fd;
        try {
            if (socket instanceof Integer) {
                fd = (Integer) socket;
            } else if (socket instanceof java.net.SocketImpl) {
                fd = JdkInternals.handle((java.net.SocketImpl) socket).fd();
            } else if (socket.getClass().getName().startsWith("sun.nio.ch.Mptcp")) {
                return; // the library's channel subclass reports its own close
            } else {
                fd = JdkInternals.handle((java.nio.channels.NetworkChannel) socket).fd();
            }
        } catch (InternalsUnavailableException e) {
            return;
        }
        if (fd >= 0) {
            Connections.closing(fd);
        }
    }

    @Override
    public void failed(String where, Throwable t) {
        AgentLog.warn("internal error in " + where + " (socket left as it was): " + t);
    }
}
