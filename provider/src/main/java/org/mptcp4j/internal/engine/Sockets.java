package org.mptcp4j.internal.engine;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.mptcp4j.Availability;
import org.mptcp4j.MptcpStatus;
import org.mptcp4j.MptcpUnavailableException;
import org.mptcp4j.internal.jdk.ChannelSubclasses;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.jdk.SocketHandle;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.swap.FdSwap;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * The engine behind {@link org.mptcp4j.MptcpSockets}, the providers and the agent: creates and upgrades
 * MPTCP sockets under one fallback policy (fall back to TCP with one warning per reason, or, strict,
 * throw {@link MptcpUnavailableException}), and reads a socket's kernel state under the JDK's locks.
 * Thread-safe. Internal: not part of the API.
 */
public final class Sockets {
    private static final Set<Availability> WARNED = ConcurrentHashMap.newKeySet();

    private final boolean strict;

    public Sockets(boolean strict) {
        this.strict = strict;
    }

    /** Whether this instance throws instead of falling back to TCP. */
    public boolean isStrict() {
        return strict;
    }

    // ------------------------------------------------------------------ channels

    /** Opens a {@link SocketChannel} backed by an MPTCP socket (dual-stack IPv6 where the JDK uses one). */
    public SocketChannel openSocketChannel() throws IOException {
        return openSocketChannel(null);
    }

    /** Opens a {@link SocketChannel} of the given family ({@code StandardProtocolFamily.INET/INET6}). */
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        ChannelSubclasses compat = compatChannels(family);
        SocketChannel mptcp = compat == null ? null : mptcpFromTheStart(compat, family);
        return mptcp != null ? mptcp : asMptcp(newSocketChannel(compat, family)); // made MPTCP: nothing to upgrade
    }

    /** Whether {@link #mptcpFromTheStart} may be tried: false once this JDK's channel would not take a socket. */
    private static volatile boolean fromTheStart = true;

    /** Whether channels are still made on an MPTCP socket from the start (for tests: false means the fallback was taken). */
    public static boolean channelsMadeMptcpFromTheStart() {
        return fromTheStart;
    }

    /**
     * A channel on an MPTCP socket from the start (no JDK socket to create and replace), or null: MPTCP is not
     * available (the usual path then explains why), or this JDK's channel does not take a socket of ours.
     */
    private static SocketChannel mptcpFromTheStart(ChannelSubclasses compat, ProtocolFamily family) {
        if (!fromTheStart || !Probe.result().availability().isSupported()) {
            return null;
        }
        int fd = -1;
        try {
            ProtocolFamily f = family != null ? family : compat.defaultFamily();
            fd = FdSwap.mptcpSocket(f == java.net.StandardProtocolFamily.INET6, false);
            SocketChannel channel = compat.socketChannelOver(SelectorProvider.provider(), f, fd);
            MADE_MPTCP.set(channel);
            return channel;
        } catch (IOException e) {
            NativeSockets.closeQuietly(fd);
            return null; // refused (out of fds, ...): the usual path meets the same and reports it
        } catch (RuntimeException | LinkageError e) {
            NativeSockets.closeQuietly(fd);
            fromTheStart = false; // the same channel either way, only slower: nothing to tell the application
            return null;
        }
    }

    /**
     * The channel {@link #mptcpFromTheStart} made last on this thread, until {@link #opened} counts it: a socket made
     * with IPPROTO_MPTCP a moment ago needs no SO_PROTOCOL read (nor the channel's state lock) to be counted converted.
     */
    private static final ThreadLocal<SocketChannel> MADE_MPTCP = new ThreadLocal<>();

    /** Whether {@code channel} is the one this thread's {@link #mptcpFromTheStart} made last; forgets it either way. */
    private static boolean madeMptcp(NetworkChannel channel) {
        SocketChannel made = MADE_MPTCP.get();
        if (made == null) {
            return false;
        }
        MADE_MPTCP.remove();
        return made == channel;
    }

    /** Opens an unbound {@link ServerSocketChannel} backed by an MPTCP listener, which also accepts plain TCP clients. */
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return asMptcp(newServerSocketChannel(null));
    }

    /** Opens an unbound MPTCP {@link ServerSocketChannel} of the given family. */
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return asMptcp(newServerSocketChannel(family));
    }

    /** A JDK-made channel to upgrade: mptcp4j's option-tolerant class when {@code compat} is there, else the JDK's. */
    private static SocketChannel newSocketChannel(ChannelSubclasses compat, ProtocolFamily family) throws IOException {
        if (compat != null) {
            return compat.socketChannel(SelectorProvider.provider(), family);
        }
        return family == null ? SocketChannel.open() : SocketChannel.open(family);
    }

    private ServerSocketChannel newServerSocketChannel(ProtocolFamily family) throws IOException {
        ChannelSubclasses compat = compatChannels(family);
        if (compat != null) {
            return compat.serverSocketChannel(SelectorProvider.provider(), family);
        }
        return family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
    }

    /**
     * The option-tolerant channel classes when the JVM's SelectorProvider is the JDK's own (they are
     * constructed with it, so selectors accept them); null when strict (refusals must surface), when
     * another provider is installed (its channels are used as they are), or for a UNIX family.
     */
    private ChannelSubclasses compatChannels(ProtocolFamily family) {
        if (strict || SelectorProvider.provider().getClass().getModule() != Object.class.getModule()) {
            return null;
        }
        Connections.listen(); // the subclasses report completed connections there
        return ChannelSubclasses.forFamily(family);
    }

    /**
     * Turns a channel the caller opened into MPTCP, carrying over the socket options already set.
     * Must happen before bind or connect.
     *
     * @throws IllegalStateException if the channel is bound, connected or connecting
     * @throws ClosedChannelException if it is closed
     */
    public <C extends NetworkChannel> C upgrade(C channel) throws IOException {
        if (!(channel instanceof SocketChannel || channel instanceof ServerSocketChannel
                || channel instanceof java.nio.channels.AsynchronousSocketChannel
                || channel instanceof java.nio.channels.AsynchronousServerSocketChannel)) {
            throw new IllegalArgumentException("cannot upgrade a " + (channel == null ? "null channel" : channel.getClass().getName())
                    + ": only TCP channels become MPTCP (a SocketChannel, ServerSocketChannel or their asynchronous kinds)");
        }
        SocketHandle handle;
        try {
            handle = JdkInternals.handle(channel);
        } catch (InternalsUnavailableException e) {
            fallback(e);
            return channel;
        }
        handle.locked(fd -> {
            requireUnbound(channel);
            if (swapCarrying(fd, FdSwap.Carry.options(null)) == FdSwap.Outcome.NOT_APPLICABLE) {
                throw new IllegalArgumentException("cannot upgrade a Unix-domain channel: only TCP channels become MPTCP");
            }
            return null;
        });
        return channel;
    }

    // ------------------------------------------------------------------ java.net sockets

    /**
     * A new unconnected {@link Socket} backed by an MPTCP socket; connect it as usual. Where the
     * JDK's SelectorProvider is in use this is the socket view of an MPTCP {@link SocketChannel}
     * ({@code getChannel()} returns it), so that options MPTCP refuses get the same answers as on channels.
     */
    public Socket newSocket() throws IOException {
        if (compatChannels(null) != null) {
            return openSocketChannel().socket();
        }
        Socket socket = new Socket();
        try {
            return upgradeUnpublished(socket);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * A new unbound {@link ServerSocket} backed by an MPTCP listener; bind it as usual. Like
     * {@link #newSocket()}, the socket view of a {@link ServerSocketChannel} where possible; the
     * sockets it accepts are then channel-backed too.
     */
    public ServerSocket newServerSocket() throws IOException {
        if (compatChannels(null) != null) {
            return openServerSocketChannel().socket();
        }
        ServerSocket socket = new ServerSocket();
        try {
            if (availableOrFallback()) {
                JdkInternals.handle(socket).locked(fd -> swapUnpublished(fd));
            }
            return socket;
        } catch (InternalsUnavailableException e) {
            fallback(e);
            return socket;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** A new MPTCP {@link ServerSocket} bound to {@code port} on all addresses (0 = ephemeral). */
    public ServerSocket newServerSocket(int port) throws IOException {
        return newServerSocket(port, 50, null);
    }

    /** A new MPTCP {@link ServerSocket} bound to {@code port} on {@code bindAddress} (null = all) with the given backlog. */
    public ServerSocket newServerSocket(int port, int backlog, java.net.InetAddress bindAddress) throws IOException {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " is out of range: expected 0-65535");
        }
        ServerSocket socket = newServerSocket();
        try {
            socket.bind(new java.net.InetSocketAddress(bindAddress, port), backlog);
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Turns an unconnected, unbound {@link Socket} into MPTCP, carrying over options already set. */
    public Socket upgrade(Socket socket) throws IOException {
        if (socket.getChannel() != null) {
            upgrade(socket.getChannel());
        } else {
            upgradeUnbound(() -> requireUnbound(socket), () -> JdkInternals.handle(socket));
        }
        return socket;
    }

    /** Turns an unbound {@link ServerSocket} into an MPTCP listener. */
    public ServerSocket upgrade(ServerSocket socket) throws IOException {
        if (socket.getChannel() != null) {
            upgrade(socket.getChannel());
        } else {
            upgradeUnbound(() -> requireUnbound(socket), () -> JdkInternals.handle(socket));
        }
        return socket;
    }

    /** A check that throws when the socket may no longer be upgraded. */
    private interface UnboundCheck {
        void check() throws IOException;
    }

    /** The java.net path of upgrade(): check, find the platform impl's fd and locks, check again under them, swap. */
    private void upgradeUnbound(UnboundCheck unbound, HandleSource source) throws IOException {
        unbound.check();
        SocketHandle handle;
        try {
            handle = source.get();
        } catch (InternalsUnavailableException e) {
            fallback(e);
            return;
        }
        handle.locked(fd -> {
            unbound.check();
            return swapCarryingOptions(fd);
        });
    }

    /** A {@link SocketFactory} whose sockets are MPTCP, for libraries that take one. */
    public SocketFactory socketFactory() {
        return new MptcpSocketFactory(this);
    }

    /** A {@link ServerSocketFactory} whose server sockets are MPTCP listeners. */
    public ServerSocketFactory serverSocketFactory() {
        return new MptcpServerSocketFactory(this);
    }

    // ------------------------------------------------------------------ internals

    private <C extends NetworkChannel> C asMptcp(C channel) throws IOException {
        upgradeUnpublished(channel);
        return channel;
    }

    /**
     * Upgrades a channel nobody else has seen yet; true when it is now MPTCP, false when it fell
     * back (strict: throws). On an unexpected failure the channel is closed and the error thrown.
     */
    public boolean upgradeUnpublished(NetworkChannel channel) throws IOException {
        try {
            if (!availableOrFallback()) {
                return false;
            }
            return JdkInternals.handle(channel).locked(fd -> swapUnpublished(fd));
        } catch (InternalsUnavailableException e) {
            fallback(e);
            return false;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Upgrades an existing, unconnected socket whose options may have been set already (the
     * connect-time decision of the SocketImpl path); true when it is now MPTCP.
     */
    public boolean upgradeCarryingOptions(SocketHandle handle) throws IOException {
        return upgradeCarrying(handle, FdSwap.Carry.options(null));
    }

    /** As {@link #upgradeCarryingOptions(SocketHandle)}, carrying what {@code carry} names (its owner gets the refused values recorded). */
    public boolean upgradeCarrying(SocketHandle handle, FdSwap.Carry carry) throws IOException {
        if (!availableOrFallback()) {
            return false;
        }
        return handle.locked(fd -> isMptcp(swapCarrying(fd, carry)));
    }

    private Socket upgradeUnpublished(Socket socket) throws IOException {
        if (!availableOrFallback()) {
            return socket;
        }
        try {
            JdkInternals.handle(socket).locked(fd -> swapUnpublished(fd));
        } catch (InternalsUnavailableException e) {
            fallback(e);
        }
        return socket;
    }

    /** True when MPTCP can be tried; otherwise falls back (or throws when strict). */
    private boolean availableOrFallback() throws MptcpUnavailableException {
        Probe.Result r = Probe.result();
        if (r.availability().isSupported()) {
            return true;
        }
        fallback(r.availability(), r.detail(), null);
        return false;
    }

    /**
     * Swaps the fd of a socket nobody else has seen yet (nothing to carry) to MPTCP; true if it is MPTCP
     * now. A kernel refusal becomes a fallback (or strict exception).
     */
    public boolean swapUnpublished(int fd) throws IOException {
        return isMptcp(swap(fd, null));
    }

    static boolean isMptcp(FdSwap.Outcome o) {
        return o == FdSwap.Outcome.UPGRADED || o == FdSwap.Outcome.ALREADY_MPTCP;
    }

    /**
     * Swaps an fd the application may have configured (see {@link FdSwap.Carry}): options that differ
     * from a fresh socket's are carried over, and so are its local binding and epoll registration. A
     * refused option without a rule is logged once per option (strict: thrown); one that changes
     * behaviour keeps the socket TCP, with one line. Returns the outcome.
     */
    public FdSwap.Outcome swapCarrying(int fd, FdSwap.Carry carry) throws IOException {
        return swap(fd, carry);
    }

    public boolean swapCarryingOptions(int fd) throws IOException {
        return isMptcp(swapCarrying(fd, FdSwap.Carry.options(null)));
    }

    /**
     * Puts a TCP socket back behind an fd made MPTCP at creation whose destination the policy keeps on
     * TCP, carrying what {@code carry} names. A failure (out of fds) leaves the connection on MPTCP,
     * which works: one line says so.
     */
    public void restoreTcp(int fd, FdSwap.Carry carry) {
        try {
            FdSwap.toTcp(fd, carry);
        } catch (IOException e) {
            if (RESTORE_FAILED.add(e.getClass())) {
                Log.warning("a client stays MPTCP although the policy keeps its destination on TCP: " + e.getMessage());
            }
        }
    }

    private static final Set<Class<?>> RESTORE_FAILED = ConcurrentHashMap.newKeySet();

    private static final Set<String> REFUSED_OPTIONS = ConcurrentHashMap.newKeySet();

    private FdSwap.Outcome swap(int fd, FdSwap.Carry carry) throws IOException {
        FdSwap.Result r;
        try {
            r = FdSwap.toMptcp(fd, carry);
        } catch (ErrnoException e) {
            Availability reason = Probe.fromErrno(e.errno());
            if (reason == null || !e.call().startsWith("socket(")) {
                throw e; // out of fds or memory: the JDK socket would have failed the same way
            }
            fallback(reason, reason.description() + ": " + e.getMessage(), e);
            return FdSwap.Outcome.KEPT_TCP;
        }
        if (r.outcome() == FdSwap.Outcome.KEPT_TCP) {
            if (strict) {
                throw new MptcpUnavailableException(Availability.SUPPORTED, "MPTCP required but the socket stays TCP: " + r.reason());
            }
            if (REFUSED_OPTIONS.add(r.reason().substring(0, r.reason().indexOf('=')))) {
                Log.warning("a socket stays TCP: " + r.reason());
            }
        }
        for (String refused : r.refused()) {
            if (strict) {
                throw new SocketException("socket option not carried over to the MPTCP socket: " + refused);
            }
            if (REFUSED_OPTIONS.add(refused.substring(0, refused.indexOf('=')))) {
                Log.warning("socket option not carried over to the MPTCP socket: " + refused);
            }
        }
        return r.outcome();
    }

    private void fallback(InternalsUnavailableException e) throws MptcpUnavailableException {
        fallback(e.availability(), e.getMessage(), e);
    }

    public void fallback(Availability reason, String detail, Throwable cause) throws MptcpUnavailableException {
        if (strict) {
            throw new MptcpUnavailableException(reason, "MPTCP required but unavailable: " + detail, cause);
        }
        if (WARNED.add(reason)) {
            Log.warning("using plain TCP: " + detail);
        }
    }

    private static void requireUnbound(NetworkChannel channel) throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (channel.getLocalAddress() != null) {
            throw new IllegalStateException("cannot upgrade " + channel.getClass().getSimpleName()
                    + " bound to " + channel.getLocalAddress() + ": upgrade before bind or connect");
        }
        if (channel instanceof SocketChannel) {
            SocketChannel sc = (SocketChannel) channel;
            if (sc.isConnected() || sc.isConnectionPending()) {
                throw new IllegalStateException("cannot upgrade a connected SocketChannel: upgrade before connect");
            }
        }
    }

    private static void requireUnbound(Socket socket) throws SocketException {
        if (socket.isClosed()) {
            throw new SocketException("cannot upgrade a closed Socket");
        }
        if (socket.isBound() || socket.isConnected()) {
            throw new IllegalStateException("cannot upgrade a Socket bound to " + socket.getLocalSocketAddress()
                    + ": upgrade before bind or connect");
        }
    }

    private static void requireUnbound(ServerSocket socket) throws SocketException {
        if (socket.isClosed()) {
            throw new SocketException("cannot upgrade a closed ServerSocket");
        }
        if (socket.isBound()) {
            throw new IllegalStateException("cannot upgrade a ServerSocket bound to " + socket.getLocalSocketAddress()
                    + ": upgrade before bind");
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the original failure is what matters
        }
    }

    // ------------------------------------------------------------------ kernel view

    /** Counts a channel the library hands out: converted, or MPTCP unavailable ({@link Connections#opened}). */
    public static <C extends NetworkChannel> C opened(C channel) throws IOException {
        if (madeMptcp(channel)) {
            Connections.openedMptcp(false);
        } else {
            count(channel instanceof ServerSocketChannel, counter -> read(channel, counter));
        }
        return channel;
    }

    /** Counts a socket the library hands out. */
    public static Socket opened(Socket socket) throws IOException {
        if (socket.getChannel() != null && madeMptcp(socket.getChannel())) {
            Connections.openedMptcp(false);
        } else {
            count(false, counter -> read(socket, counter));
        }
        return socket;
    }

    /** Counts a listener the library hands out. */
    public static ServerSocket opened(ServerSocket socket) throws IOException {
        count(true, counter -> read(socket, counter));
        return socket;
    }

    /** A {@code read} of one socket, given what to run on its fd. */
    private interface Reading {
        void run(SocketHandle.LockedAction<Void, IOException> onFd) throws IOException;
    }

    /**
     * Counts a socket through its fd; one whose fd cannot be read (the JDK's internals are closed: only a
     * strict caller would have been stopped earlier, so it is the TCP socket the fallback gave) as unavailable.
     */
    private static void count(boolean listener, Reading reading) throws IOException {
        try {
            reading.run(fd -> {
                Connections.opened(fd, listener);
                return null;
            });
        } catch (MptcpUnavailableException e) {
            Connections.decided(-1, MptcpStatus.UNAVAILABLE, listener ? "listener" : "client");
        }
    }

    public static <T> T read(NetworkChannel channel, SocketHandle.LockedAction<T, IOException> reader) throws IOException {
        SocketHandle h = internals(() -> JdkInternals.handle(channel));
        return h.stateLocked(fd -> {
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            return reader.run(fd);
        });
    }

    public static <T> T read(Socket socket, SocketHandle.LockedAction<T, IOException> reader) throws IOException {
        return socket.getChannel() != null ? read(socket.getChannel(), reader)
                : readImpl(socket::isClosed, () -> JdkInternals.handle(socket), reader);
    }

    public static <T> T read(ServerSocket socket, SocketHandle.LockedAction<T, IOException> reader) throws IOException {
        return socket.getChannel() != null ? read(socket.getChannel(), reader)
                : readImpl(socket::isClosed, () -> JdkInternals.handle(socket), reader);
    }

    /** Reads through a java.net socket's platform impl, under its state lock (so close cannot race the read). */
    private static <T> T readImpl(java.util.function.BooleanSupplier closed, HandleSource source,
                                  SocketHandle.LockedAction<T, IOException> reader) throws IOException {
        if (closed.getAsBoolean()) {
            throw new SocketException("socket is closed");
        }
        SocketHandle h = internals(source);
        return h.stateLocked(fd -> {
            if (closed.getAsBoolean()) {
                throw new SocketException("socket is closed");
            }
            return reader.run(fd);
        });
    }

    private interface HandleSource {
        SocketHandle get() throws InternalsUnavailableException;
    }

    private static SocketHandle internals(HandleSource source) throws MptcpUnavailableException {
        try {
            return source.get();
        } catch (InternalsUnavailableException e) {
            throw new MptcpUnavailableException(e.availability(),
                    e.getMessage(), e);
        }
    }
}
