package org.mptcp4j.upgrade;

import static org.mptcp4j.sys.Linux.AF_INET;
import static org.mptcp4j.sys.Linux.AF_INET6;
import static org.mptcp4j.sys.Linux.FD_CLOEXEC;
import static org.mptcp4j.sys.Linux.F_GETFD;
import static org.mptcp4j.sys.Linux.F_GETFL;
import static org.mptcp4j.sys.Linux.F_SETFL;
import static org.mptcp4j.sys.Linux.IPPROTO_IPV6;
import static org.mptcp4j.sys.Linux.IPPROTO_MPTCP;
import static org.mptcp4j.sys.Linux.IPV6_V6ONLY;
import static org.mptcp4j.sys.Linux.O_CLOEXEC;
import static org.mptcp4j.sys.Linux.O_NONBLOCK;
import static org.mptcp4j.sys.Linux.SOCK_CLOEXEC;
import static org.mptcp4j.sys.Linux.SOCK_STREAM;
import static org.mptcp4j.sys.Linux.SOL_SOCKET;
import static org.mptcp4j.sys.Linux.SO_DOMAIN;
import static org.mptcp4j.sys.Linux.SO_PROTOCOL;
import static org.mptcp4j.sys.Linux.SO_REUSEADDR;
import static org.mptcp4j.sys.Linux.SO_TYPE;

import java.io.IOException;
import java.util.List;
import org.mptcp4j.sys.ErrnoException;
import org.mptcp4j.sys.NativeSockets;

/**
 * The core trick: replace the kernel socket behind a JDK-owned fd number with an MPTCP socket.
 *
 * <p>The JDK keeps its fd number and never notices. What the JDK already set on its socket and
 * that changes behaviour is carried over: family, IPV6_V6ONLY (the JDK's IPv6 sockets are
 * dual-stack), SO_REUSEADDR (set on server sockets), O_NONBLOCK and FD_CLOEXEC. Only valid before
 * bind/connect; the caller holds the socket's locks (see {@link SocketHandle#locked}).
 */
public final class FdSwap {
    private FdSwap() {}

    /** What the swap found. */
    public enum Outcome {
        /** The fd now refers to a fresh MPTCP socket. */
        UPGRADED,
        /** It already was an MPTCP socket: nothing done. */
        ALREADY_MPTCP,
        /** Not an IPv4/IPv6 socket (a Unix-domain channel): left alone. */
        NOT_APPLICABLE
    }

    /**
     * Swaps {@code fd} to MPTCP. Throws {@link ErrnoException} from {@code socket()} when the
     * kernel refuses MPTCP (the fd is then untouched and still a working TCP socket).
     */
    public static Outcome toMptcp(int fd) throws IOException {
        return toMptcp(fd, null);
    }

    /**
     * As {@link #toMptcp(int)}, for a socket that may have been configured already: option values
     * that differ from a fresh TCP socket's are copied to the MPTCP socket. Options the MPTCP socket
     * refuses are added to {@code refused} (one text each); null means "fresh socket, copy nothing".
     */
    public static Outcome toMptcp(int fd, List<String> refused) throws IOException {
        if (NativeSockets.getIntOption(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_MPTCP) {
            return Outcome.ALREADY_MPTCP;
        }
        int type = NativeSockets.getIntOption(fd, SOL_SOCKET, SO_TYPE);
        if (type != SOCK_STREAM) {
            throw new IOException("fd " + fd + " is not a stream socket (SO_TYPE " + type + "): only TCP sockets can become MPTCP");
        }
        int domain = NativeSockets.getIntOption(fd, SOL_SOCKET, SO_DOMAIN);
        if (domain != AF_INET && domain != AF_INET6) {
            return Outcome.NOT_APPLICABLE;
        }
        int v6only = domain == AF_INET6 ? NativeSockets.getIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY) : -1;
        int reuse = NativeSockets.getIntOption(fd, SOL_SOCKET, SO_REUSEADDR);
        int statusFlags = NativeSockets.fcntl(fd, F_GETFL, 0);
        int fdFlags = NativeSockets.fcntl(fd, F_GETFD, 0);

        List<CarriedOptions.Value> carried = refused == null ? List.of() : CarriedOptions.changed(fd, domain);
        int mptcp = NativeSockets.socket(domain, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_MPTCP);
        try {
            if (!carried.isEmpty()) {
                refused.addAll(CarriedOptions.apply(mptcp, carried));
            }
            // A fresh IPv6 socket follows net.ipv6.bindv6only; always restate what the JDK chose.
            if (v6only >= 0) {
                NativeSockets.setIntOption(mptcp, IPPROTO_IPV6, IPV6_V6ONLY, v6only);
            }
            if (reuse != 0) {
                NativeSockets.setIntOption(mptcp, SOL_SOCKET, SO_REUSEADDR, 1);
            }
            if ((statusFlags & O_NONBLOCK) != 0) {
                NativeSockets.fcntl(mptcp, F_SETFL, O_NONBLOCK);
            }
            // dup3 closes the old (TCP) socket behind fd atomically and installs the MPTCP one.
            NativeSockets.dup3(mptcp, fd, (fdFlags & FD_CLOEXEC) != 0 ? O_CLOEXEC : 0);
        } finally {
            NativeSockets.closeQuietly(mptcp);
        }
        return Outcome.UPGRADED;
    }
}
