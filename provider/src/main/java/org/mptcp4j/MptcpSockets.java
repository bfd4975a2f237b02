package org.mptcp4j;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.mptcp4j.internal.engine.Sockets;

/**
 * Creates and upgrades MPTCP sockets under one fallback policy: either fall back to TCP (log one
 * warning per reason) or, when strict, throw {@link MptcpUnavailableException}. Obtain instances
 * from {@link Mptcp#sockets()} and {@link Mptcp#strict()}. Thread-safe.
 */
public final class MptcpSockets {
    private final Sockets engine;

    MptcpSockets(boolean strict) {
        this.engine = new Sockets(strict);
    }

    /** Whether this instance throws instead of falling back to TCP. */
    public boolean isStrict() {
        return engine.isStrict();
    }

    /** Opens a {@link SocketChannel} backed by an MPTCP socket (dual-stack IPv6 where the JDK uses one). */
    public SocketChannel openSocketChannel() throws IOException {
        return Sockets.opened(engine.openSocketChannel());
    }

    /** Opens a {@link SocketChannel} of the given family ({@code StandardProtocolFamily.INET/INET6}). */
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return Sockets.opened(engine.openSocketChannel(family));
    }

    /** Opens an unbound {@link ServerSocketChannel} backed by an MPTCP listener, which also accepts plain TCP clients. */
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return Sockets.opened(engine.openServerSocketChannel());
    }

    /** Opens an unbound MPTCP {@link ServerSocketChannel} of the given family. */
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return Sockets.opened(engine.openServerSocketChannel(family));
    }

    /**
     * Turns a channel the caller opened into MPTCP, carrying over the socket options already set.
     * Must happen before bind or connect.
     *
     * @throws IllegalStateException if the channel is bound, connected or connecting
     * @throws java.nio.channels.ClosedChannelException if it is closed
     * @throws IllegalArgumentException if it is not a TCP channel (a {@code DatagramChannel}, a Unix-domain channel)
     */
    public <C extends NetworkChannel> C upgrade(C channel) throws IOException {
        return Sockets.opened(engine.upgrade(channel));
    }

    /**
     * A new unconnected {@link Socket} backed by an MPTCP socket; connect it as usual. Where the
     * JDK's SelectorProvider is in use this is the socket view of an MPTCP {@link SocketChannel}
     * ({@code getChannel()} returns it), so that options MPTCP refuses get the same answers as on channels.
     */
    public Socket newSocket() throws IOException {
        return Sockets.opened(engine.newSocket());
    }

    /**
     * A new unbound {@link ServerSocket} backed by an MPTCP listener; bind it as usual. Like
     * {@link #newSocket()}, the socket view of a {@link ServerSocketChannel} where possible; the
     * sockets it accepts are then channel-backed too.
     */
    public ServerSocket newServerSocket() throws IOException {
        return Sockets.opened(engine.newServerSocket());
    }

    /** A new MPTCP {@link ServerSocket} bound to {@code port} on all addresses (0 = ephemeral). */
    public ServerSocket newServerSocket(int port) throws IOException {
        return Sockets.opened(engine.newServerSocket(port));
    }

    /** A new MPTCP {@link ServerSocket} bound to {@code port} on {@code bindAddress} (null = all) with the given backlog. */
    public ServerSocket newServerSocket(int port, int backlog, java.net.InetAddress bindAddress) throws IOException {
        return Sockets.opened(engine.newServerSocket(port, backlog, bindAddress));
    }

    /** Turns an unconnected, unbound {@link Socket} into MPTCP, carrying over options already set. */
    public Socket upgrade(Socket socket) throws IOException {
        return Sockets.opened(engine.upgrade(socket));
    }

    /** Turns an unbound {@link ServerSocket} into an MPTCP listener. */
    public ServerSocket upgrade(ServerSocket socket) throws IOException {
        return Sockets.opened(engine.upgrade(socket));
    }

    /** A {@link SocketFactory} whose sockets are MPTCP, for libraries that take one. */
    public SocketFactory socketFactory() {
        return engine.socketFactory();
    }

    /** A {@link ServerSocketFactory} whose server sockets are MPTCP listeners. */
    public ServerSocketFactory serverSocketFactory() {
        return engine.serverSocketFactory();
    }
}
