package org.mptcp4j.internal.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NetworkChannel;
import org.mptcp4j.Availability;
import org.mptcp4j.MptcpStatus;
import org.mptcp4j.MptcpUnavailableException;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.SocketHandle;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.policy.Policy;
import org.mptcp4j.internal.swap.FdSwap;

/**
 * Applies a {@link Policy} to sockets as they are created: the one engine behind the
 * SelectorProvider, the AsynchronousChannelProvider, the SocketImpl path and the Java agent.
 * Counts decisions in {@link SocketCounters#JVM} and remembers them per socket ({@link Connections}). A bad policy means plain TCP and one error line (or,
 * strict, an exception).
 *
 * <p>Public for the agent module; not a stable API.
 */
public final class Engine {

    private final Policy policy;
    private final Sockets sockets;
    private boolean policyReported; // under this; not an AtomicBoolean: its VarHandle would be made at every start

    /** A engine applying {@code policy} (the agent builds one from its arguments). */
    public Engine(Policy policy) {
        this.policy = policy;
        this.sockets = new Sockets(policy.strict());
        // no Connections.listen() here: where channel subclasses are made (Sockets, MptcpSelectorProvider) listens,
        // and the agent, which hooks the JDK's own channels, loads none of them
    }

    private static final class SystemHolder {
        static final Engine INSTANCE = system(Policy.fromSystemProperties());

        private static Engine system(Policy policy) {
            Jmx.register("system properties", policy.toString());
            return new Engine(policy);
        }
    }

    /** The engine configured by {@code -Dmptcp4j.*} properties, shared by all providers in this JVM. */
    public static Engine system() {
        return SystemHolder.INSTANCE;
    }

    public Policy policy() {
        return policy;
    }

    /** The JVM's counters (shared by every engine and the library). */
    public SocketCounters stats() {
        return SocketCounters.JVM;
    }

    // ------------------------------------------------------------------ raw fds (the agent's hooks)

    /**
     * A stream socket was just created by the JDK or Netty ({@code fd} not yet published). Listeners
     * are decided now; clients too when the policy does not depend on the destination, otherwise
     * {@link #fdBeforeConnect} decides. Returns true if the fd is MPTCP now.
     */
    public boolean fdCreated(int fd, boolean server) throws IOException {
        if (leftAlone()) {
            return false;
        }
        String side = server ? LISTENER : CLIENT;
        if (!policyUsable() || (server ? !policy.server() : !policy.client())) {
            Connections.decided(fd, MptcpStatus.KEPT_TCP, side);
            return false;
        }
        if (!server && policy.clientDependsOnDestination()) {
            return false; // decided at connect, with the destination
        }
        return fdSwap(fd, side);
    }

    /**
     * The JDK is about to create a stream socket: an MPTCP socket to use in its place (no second socket,
     * no swap) when the policy may want one for this side, else -1 and the JDK creates its own, which
     * {@link #fdCreated(int, boolean)} decides as any other. A client whose policy depends on the
     * destination is MPTCP until {@link #fdBeforeConnect} says otherwise.
     */
    public int mptcpSocket(boolean server, boolean ipv6, boolean reuse) {
        if (leftAlone() || !policy.valid() || !(server ? policy.server() : policy.client())
                || !Probe.kernelResult().availability().isSupported()) {
            return -1;
        }
        try {
            return FdSwap.mptcpSocket(ipv6, reuse);
        } catch (org.mptcp4j.internal.sys.ErrnoException e) {
            return -1; // the JDK's socket then, and the swap path explains the refusal once
        }
    }

    /** {@link #fdCreated(int, boolean)} for a socket {@link #mptcpSocket} made: counted now unless its destination decides. */
    public boolean fdCreatedMptcp(int fd, boolean server) {
        if (server || !policy.clientDependsOnDestination()) {
            SocketCounters.JVM.converted(server ? LISTENER : CLIENT);
        }
        return true;
    }

    private static final ThreadLocal<Boolean> LEAVE_ALONE = new ThreadLocal<>();
    /** Threads inside {@link #leavingAlone}: the thread-local is looked up only while there are any (the metrics endpoint's start). */
    private static final java.util.concurrent.atomic.AtomicInteger LEAVING_ALONE = new java.util.concurrent.atomic.AtomicInteger();

    /** Whether this thread is opening mptcp4j's own sockets ({@link #leavingAlone}). */
    private static boolean leftAlone() {
        return LEAVING_ALONE.get() != 0 && LEAVE_ALONE.get() != null;
    }

    /** What {@link #leavingAlone} runs. */
    public interface Opening<T> {
        T open() throws IOException;
    }

    /**
     * Runs {@code opening} with listeners it creates on this thread left as they are and not counted:
     * for mptcp4j's own sockets (the metrics endpoint), which are no decision about the application's.
     */
    public static <T> T leavingAlone(Opening<T> opening) throws IOException {
        LEAVING_ALONE.incrementAndGet();
        LEAVE_ALONE.set(Boolean.TRUE);
        try {
            return opening.open();
        } finally {
            LEAVE_ALONE.remove();
            LEAVING_ALONE.decrementAndGet();
        }
    }

    /** Counts a socket a caller decided to leave on TCP for its own reasons, with one line per distinct reason. */
    public void keptTcp(String why) {
        Connections.decided(-1, MptcpStatus.KEPT_TCP, "");
        if (why != null && KEPT_TCP_REASONS.add(why)) {
            Log.warning(why);
        }
    }

    private static final java.util.Set<String> KEPT_TCP_REASONS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A client fd is about to connect to {@code destination}; decides if that was deferred. Options and binding are carried. */
    public boolean fdBeforeConnect(int fd, InetSocketAddress destination) throws IOException {
        return fdBeforeConnect(fd, destination, FdSwap.Carry.options(null));
    }

    /**
     * A client fd is about to connect to {@code destination}; decides if that was deferred to now,
     * carrying what {@code carry} names (options recorded under its owner, an epoll registration).
     */
    public boolean fdBeforeConnect(int fd, InetSocketAddress destination, FdSwap.Carry carry) throws IOException {
        return fdBeforeConnect(fd, destination, carry, false);
    }

    /**
     * As {@link #fdBeforeConnect(int, InetSocketAddress, FdSwap.Carry)}; {@code mptcp}: the fd is an MPTCP
     * socket {@link #mptcpSocket} made, which goes back to TCP if the destination is one the policy keeps on TCP.
     */
    public boolean fdBeforeConnect(int fd, InetSocketAddress destination, FdSwap.Carry carry, boolean mptcp) throws IOException {
        if (!decidedAtConnect()) {
            return false; // already decided at creation
        }
        if (!policy.client(destination)) {
            if (mptcp) {
                restoreTcp(fd, carry);
            }
            Connections.decided(fd, MptcpStatus.KEPT_TCP, CLIENT);
            return false;
        }
        if (mptcp) {
            SocketCounters.JVM.converted(CLIENT);
            return true;
        }
        Probe.Result r = Probe.result();
        if (!r.availability().isSupported()) {
            Connections.decided(fd, MptcpStatus.UNAVAILABLE, CLIENT);
            sockets.fallback(r.availability(), r.detail(), null);
            return false;
        }
        return count(sockets.swapCarrying(fd, carry), fd, CLIENT);
    }

    /** Puts a TCP socket back behind an fd {@link #mptcpSocket} made, carrying what {@code carry} names. */
    public void restoreTcp(int fd, FdSwap.Carry carry) {
        sockets.restoreTcp(fd, carry);
    }

    /** Whether client sockets are decided at connect, with the destination (else at creation). */
    public boolean decidedAtConnect() throws MptcpUnavailableException {
        return policyUsable() && policy.client() && policy.clientDependsOnDestination();
    }

    private boolean fdSwap(int fd, String side) throws IOException {
        Probe.Result r = Probe.result();
        if (!r.availability().isSupported()) {
            Connections.decided(fd, MptcpStatus.UNAVAILABLE, side);
            sockets.fallback(r.availability(), r.detail(), null);
            return false;
        }
        return count(sockets.swapUnpublished(fd), fd, side);
    }

    /** A listener just opened (local address not known yet). */
    public void serverOpened(NetworkChannel channel) throws IOException {
        if (leftAlone()) {
            return;
        }
        if (allowed(policy.server(), fd(channel), LISTENER)) {
            count(sockets.upgradeUnpublished(channel), fd(channel), LISTENER);
        }
    }

    /** A client channel just opened: its destination is not visible here, so only the mode decides. */
    public void clientOpened(NetworkChannel channel) throws IOException {
        if (allowed(policy.client(), fd(channel), CLIENT)) {
            count(sockets.upgradeUnpublished(channel), fd(channel), CLIENT);
        }
    }

    /** A client socket about to connect to {@code destination}: the full client policy applies. */
    public boolean beforeConnect(SocketHandle handle, InetSocketAddress destination, FdSwap.Carry carry) throws IOException {
        return allowed(policy.client(destination), handle.fd(), CLIENT) && count(sockets.upgradeCarrying(handle, carry), handle.fd(), CLIENT);
    }

    /** A client socket bound before connecting: its destination is not known yet, so only the mode decides. */
    public boolean beforeConnectUnknown(SocketHandle handle, FdSwap.Carry carry) throws IOException {
        return allowed(policy.client(), handle.fd(), CLIENT) && count(sockets.upgradeCarrying(handle, carry), handle.fd(), CLIENT);
    }

    /** A listener about to bind to {@code local}, carrying what {@code carry} names. */
    public boolean beforeBind(SocketHandle handle, InetSocketAddress local, FdSwap.Carry carry) throws IOException {
        if (leftAlone()) {
            return false;
        }
        return allowed(policy.server(local), handle.fd(), LISTENER) && count(sockets.upgradeCarrying(handle, carry), handle.fd(), LISTENER);
    }

    /** True when the policy is usable and says MPTCP; otherwise counts the socket as kept on TCP. */
    private boolean allowed(boolean policySaysMptcp, int fd, String side) throws MptcpUnavailableException {
        if (policyUsable() && policySaysMptcp) {
            return true;
        }
        Connections.decided(fd, MptcpStatus.KEPT_TCP, side);
        return false;
    }

    private static final String CLIENT = "client";
    private static final String LISTENER = "listener";

    /** The fd of a JDK channel, or -1 when its internals are out of reach (it is then counted, not remembered). */
    private static int fd(NetworkChannel channel) {
        try {
            return org.mptcp4j.internal.jdk.JdkInternals.handle(channel).fd();
        } catch (InternalsUnavailableException e) {
            return -1;
        }
    }

    /** Reports an internals problem as a fallback (or throws when strict). */
    public void internalsUnavailable(InternalsUnavailableException e) throws IOException {
        Connections.decided(-1, MptcpStatus.UNAVAILABLE, "");
        sockets.fallback(e.availability(), e.getMessage(), e);
    }

    private boolean count(FdSwap.Outcome outcome, int fd, String side) {
        switch (outcome) {
            case UPGRADED:
            case ALREADY_MPTCP:
                SocketCounters.JVM.converted(side);
                return true;
            case KEPT_TCP:
                Connections.decided(fd, MptcpStatus.KEPT_TCP, side);
                return false;
            case NOT_APPLICABLE:
                return false; // not a TCP socket: nothing the policy decides, nothing counted
            default:
                Connections.decided(fd, MptcpStatus.UNAVAILABLE, side);
                return false;
        }
    }

    private boolean count(boolean upgraded, int fd, String side) {
        if (upgraded) {
            SocketCounters.JVM.converted(side);
        } else {
            Connections.decided(fd, MptcpStatus.UNAVAILABLE, side);
        }
        return upgraded;
    }

    /** False (after one error line) when the policy settings were bad; strict makes that an exception. */
    private boolean policyUsable() throws MptcpUnavailableException {
        if (policy.valid()) {
            return true;
        }
        String message = policy.error().get() + "; using plain TCP";
        if (policy.strict()) {
            throw new MptcpUnavailableException(Availability.SUPPORTED, policy.error().get());
        }
        if (firstPolicyReport()) {
            Log.error(message);
        }
        return false;
    }

    private synchronized boolean firstPolicyReport() {
        boolean first = !policyReported;
        policyReported = true;
        return first;
    }
}
