package org.mptcp4j;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mptcp4j.policy.Policy;
import org.mptcp4j.upgrade.InternalsUnavailableException;
import org.mptcp4j.upgrade.SocketHandle;

/**
 * Applies a {@link Policy} to sockets as the JDK creates them: the one engine behind the
 * SelectorProvider, the AsynchronousChannelProvider and the SocketImpl path. Counts outcomes in
 * {@link MptcpStats}. A bad policy means plain TCP and one error line (or, strict, an exception).
 */
final class Converter {

    private final Policy policy;
    private final MptcpSockets sockets;
    private final MptcpStats stats = new MptcpStats();
    private final AtomicBoolean policyReported = new AtomicBoolean();

    Converter(Policy policy) {
        this.policy = policy;
        this.sockets = new MptcpSockets(policy.strict());
    }

    private static final class SystemHolder {
        static final Converter INSTANCE = new Converter(Policy.fromSystemProperties());
    }

    /** The converter configured by {@code -Dmptcp4j.*} properties, shared by all providers in this JVM. */
    static Converter system() {
        return SystemHolder.INSTANCE;
    }

    Policy policy() {
        return policy;
    }

    MptcpStats stats() {
        return stats;
    }

    /** A listener just opened (local address not known yet). */
    void serverOpened(NetworkChannel channel) throws IOException {
        if (!policyUsable() || !policy.server()) {
            stats.keptTcp();
            return;
        }
        count(sockets.upgradeFresh(channel));
    }

    /** A client channel just opened: its destination is not visible here, so only the mode decides. */
    void clientOpened(NetworkChannel channel) throws IOException {
        if (!policyUsable() || !policy.client()) {
            stats.keptTcp();
            return;
        }
        count(sockets.upgradeFresh(channel));
    }

    /** A client socket about to connect to {@code destination}: the full client policy applies. */
    boolean beforeConnect(SocketHandle handle, InetSocketAddress destination) throws IOException {
        if (!policyUsable() || !policy.client(destination)) {
            stats.keptTcp();
            return false;
        }
        return count(sockets.upgradeCarryingOptions(handle));
    }

    /** A client socket bound before connecting: its destination is not known yet, so only the mode decides. */
    boolean beforeConnectUnknown(SocketHandle handle) throws IOException {
        if (!policyUsable() || !policy.client()) {
            stats.keptTcp();
            return false;
        }
        return count(sockets.upgradeCarryingOptions(handle));
    }

    /** A listener about to bind to {@code local}. */
    boolean beforeBind(SocketHandle handle, InetSocketAddress local) throws IOException {
        if (!policyUsable() || !policy.server(local)) {
            stats.keptTcp();
            return false;
        }
        return count(sockets.upgradeCarryingOptions(handle));
    }

    /** Reports an internals problem as a fallback (or throws when strict). */
    void internalsUnavailable(InternalsUnavailableException e) throws IOException {
        stats.fellBack();
        sockets.fallback(e.notOpen() ? Availability.JDK_NOT_OPEN : Availability.JDK_UNRECOGNIZED, e.getMessage(), e);
    }

    private boolean count(boolean upgraded) {
        if (upgraded) {
            stats.converted();
        } else {
            stats.fellBack();
        }
        return upgraded;
    }

    /** False (after one error line) when the policy settings were bad; strict makes that an exception. */
    private boolean policyUsable() throws MptcpUnavailableException {
        if (policy.error().isEmpty()) {
            return true;
        }
        String message = "mptcp4j: " + policy.error().get() + "; using plain TCP";
        if (policy.strict()) {
            throw new MptcpUnavailableException(Availability.SUPPORTED, policy.error().get());
        }
        if (policyReported.compareAndSet(false, true)) {
            Log.log(Level.ERROR, message);
        }
        return false;
    }
}
