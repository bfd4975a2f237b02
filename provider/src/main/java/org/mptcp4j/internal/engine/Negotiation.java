package org.mptcp4j.internal.engine;

import static org.mptcp4j.internal.sys.Linux.IPPROTO_MPTCP;
import static org.mptcp4j.internal.sys.Linux.SOCK_STREAM;
import static org.mptcp4j.internal.sys.Linux.SOL_SOCKET;
import static org.mptcp4j.internal.sys.Linux.SOL_TCP;
import static org.mptcp4j.internal.sys.Linux.SO_PROTOCOL;
import static org.mptcp4j.internal.sys.Linux.SO_TYPE;
import static org.mptcp4j.internal.sys.Linux.TCP_INFO;
import static org.mptcp4j.internal.sys.Linux.TCP_IS_MPTCP;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.mptcp4j.FallbackReason;
import org.mptcp4j.MptcpStatus;
import org.mptcp4j.internal.sys.NativeSockets;
import org.mptcp4j.internal.sys.SockDiag;
import org.mptcp4j.internal.sys.Sockaddr;

/**
 * How a socket's MPTCP negotiation ended and, when it fell back, why: read from what the kernel says
 * about that one socket (TCP_IS_MPTCP, its entry in sock_diag's MPTCP view, its TCP_INFO), never from
 * the namespace's counters, so fallbacks of other connections at the same time do not blur it.
 */
public final class Negotiation {
    private Negotiation() {}

    /** What the kernel says: MPTCP, FALLBACK with a reason, or TCP (a plain socket from no MPTCP listener). */
    public record Outcome(MptcpStatus status, FallbackReason reason, String detail) {
        static final Outcome MPTCP = new Outcome(MptcpStatus.MPTCP, null, "");
        static final Outcome TCP = new Outcome(MptcpStatus.TCP, null, "");

        static Outcome fallback(FallbackReason reason, String detail) {
            return new Outcome(MptcpStatus.FALLBACK, reason, detail);
        }

        /** One line: {@code MPTCP}, {@code FALLBACK (SYN_DROPPED: MPTCP SYNs were dropped ...)}. */
        @Override
        public String toString() {
            return reason == null ? status.name()
                    : status + " (" + reason + ": " + reason.description() + (detail.isEmpty() ? "" : "; " + detail) + ")";
        }
    }

    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_SYN_SENT = 2;
    private static final int TCP_LISTEN = 10;
    private static final int TCP_CLOSE = 7;

    /** Where a connected socket came from, when the caller knows. */
    public enum Origin {
        /** It connected out. */
        CLIENT,
        /** An MPTCP listener accepted it. */
        MPTCP_LISTENER,
        /** A plain TCP listener accepted it. */
        TCP_LISTENER,
        /** Not known: a plain TCP socket is checked against this namespace's MPTCP listeners. */
        UNKNOWN
    }

    /** The outcome for the connected or accepted socket {@code fd}, origin unknown. */
    public static Outcome of(int fd) throws IOException {
        return of(fd, Origin.UNKNOWN);
    }

    /** Whether {@code fd} is an MPTCP connection that has not fallen back (or is not connected yet). */
    static boolean isMptcp(int fd) throws IOException {
        int answer = NativeSockets.getIntOptionOr(fd, SOL_TCP, TCP_IS_MPTCP, -1);
        if (answer >= 0) {
            return answer != 0;
        }
        if (NativeSockets.getIntOption(fd, SOL_SOCKET, SO_TYPE) != SOCK_STREAM) {
            return false; // a connected UDP socket: it comes through the JDK's connect too, and no exception is built for it
        }
        return NativeSockets.getIntOption(fd, SOL_TCP, TCP_IS_MPTCP) != 0; // the refusal, as the error it is (a kernel before 5.16)
    }

    /** The outcome for the connected or accepted socket {@code fd}. */
    public static Outcome of(int fd, Origin origin) throws IOException {
        if (isMptcp(fd)) {
            return Outcome.MPTCP; // negotiated, or not connected yet: the common case, in one call (a TCP socket answers 0)
        }
        if (NativeSockets.getIntOption(fd, SOL_SOCKET, SO_PROTOCOL) != IPPROTO_MPTCP) {
            boolean plainClient = origin == Origin.MPTCP_LISTENER || origin == Origin.UNKNOWN && fromMptcpListener(fd);
            return plainClient ? Outcome.fallback(FallbackReason.PLAIN_CLIENT, "") : Outcome.TCP;
        }
        ByteBuffer tcp = ByteBuffer.wrap(NativeSockets.getBytesOption(fd, SOL_TCP, TCP_INFO, 232)).order(ByteOrder.nativeOrder());
        long totalRetrans = Integer.toUnsignedLong(tcp.getInt(100));
        long bytesRetrans = tcp.capacity() >= 216 ? tcp.getLong(208) : 0;
        SockDiag.MptcpSocket msk = find(fd);
        if (msk == null || msk.token() == 0) {
            // no token: the kernel never put MP_CAPABLE in the SYN; it does that only while MPTCP is disabled by blackhole detection
            return Outcome.fallback(FallbackReason.BLACKHOLE, "");
        }
        if (msk.remoteKeyReceived()) {
            return dataLevel(fd, msk);
        }
        int threshold = synRetransmitsBeforeFallback();
        // SYN retransmissions carry no payload: retransmissions without retransmitted bytes are the handshake's
        if (bytesRetrans == 0 && totalRetrans >= threshold) {
            return Outcome.fallback(FallbackReason.SYN_DROPPED, totalRetrans + " SYN retransmissions");
        }
        if (bytesRetrans != 0 && totalRetrans >= threshold) {
            return Outcome.fallback(FallbackReason.UNKNOWN, "the peer answered without MPTCP after " + totalRetrans
                    + " retransmissions; data retransmissions since hide whether the SYNs were dropped");
        }
        return Outcome.fallback(FallbackReason.PEER_WITHOUT_MPTCP, "");
    }

    /**
     * The peer sent its key, then the connection fell back: without DSS checksums only missing options can
     * cause that; with them, a changed stream can too, and only the subflow's flags (CAP_NET_ADMIN) tell which.
     */
    private static Outcome dataLevel(int fd, SockDiag.MptcpSocket msk) throws IOException {
        if (!msk.checksums()) {
            return Outcome.fallback(FallbackReason.OPTION_REMOVED, "");
        }
        byte[] local = NativeSockets.getsockname(fd);
        byte[] remote = NativeSockets.getpeername(fd);
        int family = Sockaddr.family(local);
        long flags = SockDiag.subflowFlags(family, address(local), Sockaddr.port(local), address(remote), Sockaddr.port(remote));
        if (flags < 0) {
            return Outcome.fallback(FallbackReason.UNKNOWN, "data-level fallback with DSS checksums on: options removed or stream"
                    + " changed (CAP_NET_ADMIN lets mptcp4j tell which)");
        }
        // a checksum failure keeps the peer's MP_CAPABLE on the subflow; a missing option clears it
        return Outcome.fallback((flags & SockDiag.SUBFLOW_MCAP_REMOTE) != 0 ? FallbackReason.STREAM_CHANGED : FallbackReason.OPTION_REMOVED, "");
    }

    /** This socket's entry in sock_diag's MPTCP view (matched by inode), or null when it has none. */
    private static SockDiag.MptcpSocket find(int fd) throws IOException {
        long inode = inode(fd);
        int family = Sockaddr.family(NativeSockets.getsockname(fd)) == SockDiag.AF_INET6 ? SockDiag.AF_INET6 : SockDiag.AF_INET;
        for (SockDiag.MptcpSocket s : SockDiag.mptcpSockets(family)) {
            if (s.inode() == inode) {
                return s;
            }
        }
        return null;
    }

    /** Whether an MPTCP listener of this namespace listens on this socket's local port (it then accepted it). */
    private static boolean fromMptcpListener(int fd) throws IOException {
        byte[] local = NativeSockets.getsockname(fd);
        int port = Sockaddr.port(local);
        int family = Sockaddr.family(local) == SockDiag.AF_INET6 ? SockDiag.AF_INET6 : SockDiag.AF_INET;
        ByteBuffer tcp = ByteBuffer.wrap(NativeSockets.getBytesOption(fd, SOL_TCP, TCP_INFO, 8));
        int state = tcp.get(0);
        if (state == TCP_LISTEN || state == TCP_SYN_SENT || state == TCP_CLOSE) {
            return false; // not an accepted connection
        }
        for (int f : family == SockDiag.AF_INET6 ? new int[] {SockDiag.AF_INET6, SockDiag.AF_INET} : new int[] {SockDiag.AF_INET}) {
            for (SockDiag.MptcpSocket s : SockDiag.mptcpSockets(f)) {
                if (s.state() == TCP_LISTEN && s.localPort() == port) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The inode {@code /proc/self/fd/N} names ("socket:[N]"); sock_diag reports the same number. */
    static long inode(int fd) throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        if (!link.startsWith("socket:[")) {
            throw new IOException("fd " + fd + " is not a socket: " + link);
        }
        return Long.parseLong(link.substring(8, link.length() - 1));
    }

    private static byte[] address(byte[] sockaddr) {
        return Sockaddr.family(sockaddr) == SockDiag.AF_INET6 ? Arrays.copyOfRange(sockaddr, 8, 24) : Arrays.copyOfRange(sockaddr, 4, 8);
    }

    private static int synRetransmitsBeforeFallback() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/mptcp/syn_retrans_before_tcp_fallback")).strip());
        } catch (IOException | NumberFormatException e) {
            return 2; // the kernel's default; older kernels have no such fallback at all
        }
    }
}
