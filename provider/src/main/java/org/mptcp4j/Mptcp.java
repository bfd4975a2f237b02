package org.mptcp4j;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.mptcp4j.internal.engine.Connections;
import org.mptcp4j.internal.engine.InfoReader;
import org.mptcp4j.internal.engine.LiveConnections;
import org.mptcp4j.internal.engine.Probe;
import org.mptcp4j.internal.engine.SocketCounters;
import org.mptcp4j.internal.engine.Sockets;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.log.Log;

/**
 * Multipath TCP for the JVM: the library entry point.
 *
 * <p>Every method returns the JDK's own classes ({@link SocketChannel}, {@link Socket}, ...) with
 * an MPTCP socket behind them, so Selectors, timeouts, socket options and virtual threads work as
 * usual. When MPTCP can't be used, the default is to fall back to TCP and log one warning
 * ({@code System.Logger} "org.mptcp4j"); {@link #strict()} throws {@link MptcpUnavailableException}
 * instead. The system property {@code mptcp4j.strict=true} makes the static methods strict.
 *
 * <p>Needs {@value #JVM_FLAGS_DOC}; without it the methods fall back (or, strict, throw) with a
 * message naming the flags.
 */
public final class Mptcp {
    private Mptcp() {}

    /** Documentation text; see {@link #requiredJvmFlags()} for the value for this deployment. */
    static final String JVM_FLAGS_DOC = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED";

    private static final MptcpSockets STRICT = new MptcpSockets(true);
    private static final MptcpSockets DEFAULT = new MptcpSockets(org.mptcp4j.internal.policy.Setting.STRICT.booleanValue(Log.warningEndingWith("; using false")));

    /** The default instance: falls back to TCP unless {@code -Dmptcp4j.strict=true}. */
    public static MptcpSockets sockets() {
        return DEFAULT;
    }

    /** An instance that throws {@link MptcpUnavailableException} instead of falling back to TCP. */
    public static MptcpSockets strict() {
        return STRICT;
    }

    /** Whether MPTCP sockets can be created here; probed once per process. */
    public static Availability availability() {
        return Probe.result().availability();
    }

    /** The one-line detail behind {@link #availability()} (errno text, or the flags to add). */
    public static String availabilityDetail() {
        return Probe.result().detail();
    }

    /** The {@code --add-opens} flags the library needs, spelled for the module it is loaded in. */
    public static String requiredJvmFlags() {
        return JdkInternals.FLAGS;
    }

    /** See {@link MptcpSockets#openSocketChannel()}. */
    public static SocketChannel openSocketChannel() throws IOException {
        return DEFAULT.openSocketChannel();
    }

    /** See {@link MptcpSockets#openSocketChannel(ProtocolFamily)}. */
    public static SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return DEFAULT.openSocketChannel(family);
    }

    /** See {@link MptcpSockets#openServerSocketChannel()}. */
    public static ServerSocketChannel openServerSocketChannel() throws IOException {
        return DEFAULT.openServerSocketChannel();
    }

    /** See {@link MptcpSockets#openServerSocketChannel(ProtocolFamily)}. */
    public static ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return DEFAULT.openServerSocketChannel(family);
    }

    /** See {@link MptcpSockets#newSocket()}. */
    public static Socket newSocket() throws IOException {
        return DEFAULT.newSocket();
    }

    /** See {@link MptcpSockets#newServerSocket()}. */
    public static ServerSocket newServerSocket() throws IOException {
        return DEFAULT.newServerSocket();
    }

    /** See {@link MptcpSockets#newServerSocket(int)}. */
    public static ServerSocket newServerSocket(int port) throws IOException {
        return DEFAULT.newServerSocket(port);
    }

    /** See {@link MptcpSockets#upgrade(NetworkChannel)}. */
    public static <C extends NetworkChannel> C upgrade(C channel) throws IOException {
        return DEFAULT.upgrade(channel);
    }

    /** See {@link MptcpSockets#upgrade(Socket)}. */
    public static Socket upgrade(Socket socket) throws IOException {
        return DEFAULT.upgrade(socket);
    }

    /** See {@link MptcpSockets#upgrade(ServerSocket)}. */
    public static ServerSocket upgrade(ServerSocket socket) throws IOException {
        return DEFAULT.upgrade(socket);
    }

    /** See {@link MptcpSockets#socketFactory()}. */
    public static SocketFactory socketFactory() {
        return DEFAULT.socketFactory();
    }

    /** See {@link MptcpSockets#serverSocketFactory()}. */
    public static ServerSocketFactory serverSocketFactory() {
        return DEFAULT.serverSocketFactory();
    }

    /**
     * What this channel is: MPTCP; FALLBACK (was to be MPTCP, runs as TCP: {@link #fallbackReason} says
     * why); KEPT_TCP or UNAVAILABLE (mptcp4j left it on TCP, or could not make it MPTCP); or TCP. From the
     * kernel, and for sockets mptcp4j decided about, from that decision.
     */
    public static MptcpStatus status(NetworkChannel channel) throws IOException {
        return Sockets.read(channel, Connections::status).status();
    }

    /** What this socket is; see {@link #status(NetworkChannel)}. */
    public static MptcpStatus status(Socket socket) throws IOException {
        return Sockets.read(socket, Connections::status).status();
    }

    /** What this listener is; see {@link #status(NetworkChannel)}. */
    public static MptcpStatus status(ServerSocket socket) throws IOException {
        return Sockets.read(socket, Connections::status).status();
    }

    /**
     * Why this connection runs as plain TCP when its status is {@link MptcpStatus#FALLBACK}; empty
     * otherwise. Read from what the kernel says about this socket (docs/operators.md).
     */
    public static Optional<FallbackReason> fallbackReason(NetworkChannel channel) throws IOException {
        return Optional.ofNullable(Sockets.read(channel, Connections::status).reason());
    }

    /** Why this connection runs as plain TCP; see {@link #fallbackReason(NetworkChannel)}. */
    public static Optional<FallbackReason> fallbackReason(Socket socket) throws IOException {
        return Optional.ofNullable(Sockets.read(socket, Connections::status).reason());
    }

    /**
     * One line on this channel for logs: {@code MPTCP}, or {@code FALLBACK (SYN_DROPPED: MPTCP SYNs were
     * dropped and the kernel retried as plain TCP; 3 SYN retransmissions)}.
     */
    public static String describe(NetworkChannel channel) throws IOException {
        return Sockets.read(channel, Connections::status).toString();
    }

    /** A snapshot of the MPTCP connection and its subflows; empty when the socket is not (or no longer) MPTCP. */
    public static Optional<MptcpInfo> info(NetworkChannel channel) throws IOException {
        return InfoReader.withInterfaces(Sockets.read(channel, InfoReader::info));
    }

    /** A snapshot of the MPTCP connection behind {@code socket}; empty when it is not MPTCP. */
    public static Optional<MptcpInfo> info(Socket socket) throws IOException {
        return InfoReader.withInterfaces(Sockets.read(socket, InfoReader::info));
    }

    /**
     * What mptcp4j decided and saw in this JVM so far (the counters of this copy of mptcp4j: under the
     * agent, read the MBean {@code org.mptcp4j:type=Mptcp}, which the agent registers, for the agent's).
     */
    public static MptcpCounters counters() {
        SocketCounters c = SocketCounters.JVM;
        Map<FallbackReason, Long> fellBack = new EnumMap<>(FallbackReason.class);
        for (FallbackReason r : FallbackReason.values()) {
            fellBack.put(r, c.fellBackCount(r));
        }
        return new MptcpCounters(c.convertedCount(), c.keptTcpCount(), c.unavailableCount(), c.negotiatedCount(), fellBack);
    }

    /**
     * This process's open connections that negotiated MPTCP, each with its subflows, read from the kernel
     * now (listeners and fallbacks left out), whoever opened them: the library, the providers, the agent.
     * Costs one sock_diag dump and a walk of {@code /proc/self/fd}: for sampling, not for every request.
     */
    public static List<MptcpInfo> connections() throws IOException {
        return LiveConnections.sample();
    }
}
