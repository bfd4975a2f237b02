package org.mptcp4j.internal.engine;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR events, one per decision about a socket and one per connection mptcp4j saw complete, so a flight
 * recording shows what mptcp4j did with each socket and how each connection came out, and can be
 * checked against the MBean counters and the kernel's.
 */
public final class SocketEvents {
    private SocketEvents() {}

    @Name("org.mptcp4j.SocketConverted")
    @Label("Socket converted to MPTCP")
    @Category({"mptcp4j"})
    @Description("A stream socket now runs MPTCP")
    static final class Converted extends Event {
        @Label("Side")
        String side;
    }

    @Name("org.mptcp4j.SocketUnavailable")
    @Label("MPTCP unavailable for a socket")
    @Category({"mptcp4j"})
    @Description("MPTCP was wanted but is unavailable here (kernel, sysctl, JDK internals); the socket stays TCP")
    static final class Unavailable extends Event {
        @Label("Side")
        String side;
    }

    @Name("org.mptcp4j.Connection")
    @Label("MPTCP connection established")
    @Category({"mptcp4j"})
    @Description("A connection mptcp4j saw complete: negotiated MPTCP, or fell back to TCP and why")
    static final class Connection extends Event {
        @Label("Role")
        @Description("client or server")
        String role;
        @Label("Local address")
        String local;
        @Label("Remote address")
        String remote;
        @Label("Outcome")
        @Description("MPTCP or FALLBACK")
        String outcome;
        @Label("Fallback reason")
        String reason;
        @Label("Detail")
        String detail;
    }

    @Name("org.mptcp4j.ConnectionClosed")
    @Label("MPTCP connection closed")
    @Category({"mptcp4j"})
    @Description("An MPTCP socket closed by the application: how its connection ended")
    static final class ConnectionClosed extends Event {
        @Label("Local address")
        String local;
        @Label("Remote address")
        String remote;
        @Label("Outcome")
        @Description("MPTCP, or FALLBACK when it ran as plain TCP")
        String outcome;
        @Label("Subflows")
        @Description("Established subflows at close (0 when it ran as plain TCP)")
        int subflows;
        @Label("Token")
        @Description("The connection token as ip mptcp monitor and ss -M print it")
        String token;
        @Label("Bytes sent")
        @jdk.jfr.DataAmount
        long bytesSent;
        @Label("Bytes received")
        @jdk.jfr.DataAmount
        long bytesReceived;
    }

    @Name("org.mptcp4j.SocketKeptTcp")
    @Label("Socket left on TCP")
    @Category({"mptcp4j"})
    @Description("The policy (mode, include/exclude, loopback) or a socket option that needs TCP kept this socket on TCP")
    static final class KeptTcp extends Event {
        @Label("Side")
        String side;
    }

    /**
     * Whether any recording can want an event. The first instance of an event class makes the JDK set up
     * its event machinery (tens of ms): without a recorder, no event object is made.
     */
    private static boolean recorder() {
        return jdk.jfr.FlightRecorder.isInitialized();
    }

    public static void converted(String side) {
        if (!recorder()) {
            return;
        }
        Converted e = new Converted();
        if (e.shouldCommit()) {
            e.side = side;
            e.commit();
        }
    }

    public static void unavailable(String side) {
        if (!recorder()) {
            return;
        }
        Unavailable e = new Unavailable();
        if (e.shouldCommit()) {
            e.side = side;
            e.commit();
        }
    }

    public static void keptTcp(String side) {
        if (!recorder()) {
            return;
        }
        KeptTcp e = new KeptTcp();
        if (e.shouldCommit()) {
            e.side = side;
            e.commit();
        }
    }

    static void connection(String role, int fd, Negotiation.Outcome outcome) {
        if (!recorder()) {
            return;
        }
        Connection e = new Connection();
        if (e.shouldCommit()) { // the addresses cost two system calls: only for a recording that wants the event
            e.role = role;
            e.local = address(fd, true);
            e.remote = address(fd, false);
            e.outcome = outcome.status().name();
            e.reason = outcome.reason() == null ? "" : outcome.reason().name();
            e.detail = outcome.detail();
            e.commit();
        }
    }

    static boolean closedWanted() {
        return recorder() && new ConnectionClosed().isEnabled();
    }

    /**
     * Records the end of an MPTCP connection; the kernel is asked only when a recording wants the event.
     * Called only once {@link #closedWanted()} said yes.
     */
    static void closed(int fd) {
        ConnectionClosed e = new ConnectionClosed();
        if (!e.shouldCommit()) {
            return;
        }
        try {
            org.mptcp4j.MptcpStatus status = InfoReader.status(fd);
            if (status == org.mptcp4j.MptcpStatus.TCP) {
                return; // a TCP socket: nothing MPTCP ended
            }
            e.outcome = status.name(); // MPTCP or FALLBACK
            if (status == org.mptcp4j.MptcpStatus.MPTCP) {
                org.mptcp4j.MptcpInfo i = InfoReader.mptcpInfo(fd);
                e.subflows = i.subflows().isEmpty() ? i.additionalSubflows() + 1 : (int) i.establishedSubflows();
                e.token = i.tokenHex();
                e.bytesSent = i.bytesSent();
                e.bytesReceived = i.bytesReceived();
            }
        } catch (java.io.IOException ex) {
            return; // not a connected socket (never connected, or gone): nothing to record
        }
        e.local = address(fd, true);
        e.remote = address(fd, false);
        if (e.remote.isEmpty()) {
            return; // never connected
        }
        e.commit();
    }

    private static String address(int fd, boolean local) {
        try {
            java.net.InetSocketAddress a = org.mptcp4j.internal.sys.Sockaddr.toInetSocketAddress(
                    local ? org.mptcp4j.internal.sys.NativeSockets.getsockname(fd) : org.mptcp4j.internal.sys.NativeSockets.getpeername(fd));
            return a == null ? "" : a.getAddress().getHostAddress() + ":" + a.getPort();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
