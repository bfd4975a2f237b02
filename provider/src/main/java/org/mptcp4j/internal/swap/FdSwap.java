package org.mptcp4j.internal.swap;

import static org.mptcp4j.internal.sys.Linux.AF_INET6;
import static org.mptcp4j.internal.sys.Linux.AF_INET;
import static org.mptcp4j.internal.sys.Linux.FD_CLOEXEC;
import static org.mptcp4j.internal.sys.Linux.F_GETFD;
import static org.mptcp4j.internal.sys.Linux.F_GETFL;
import static org.mptcp4j.internal.sys.Linux.F_SETFL;
import static org.mptcp4j.internal.sys.Linux.IPPROTO_IPV6;
import static org.mptcp4j.internal.sys.Linux.IPPROTO_MPTCP;
import static org.mptcp4j.internal.sys.Linux.IPV6_V6ONLY;
import static org.mptcp4j.internal.sys.Linux.O_CLOEXEC;
import static org.mptcp4j.internal.sys.Linux.O_NONBLOCK;
import static org.mptcp4j.internal.sys.Linux.SOCK_CLOEXEC;
import static org.mptcp4j.internal.sys.Linux.SOCK_STREAM;
import static org.mptcp4j.internal.sys.Linux.SOL_SOCKET;
import static org.mptcp4j.internal.sys.Linux.SO_DOMAIN;
import static org.mptcp4j.internal.sys.Linux.SO_PROTOCOL;
import static org.mptcp4j.internal.sys.Linux.SO_REUSEADDR;
import static org.mptcp4j.internal.sys.Linux.SO_TYPE;

import java.io.IOException;
import java.util.List;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;
import org.mptcp4j.internal.sys.Sockaddr;

/**
 * The core trick: replace the kernel socket behind a JDK- or Netty-owned fd number with an MPTCP
 * socket.
 *
 * <p>The owner keeps its fd number and never notices. What it already set on its socket and that
 * changes behaviour is carried over: family, IPV6_V6ONLY (the JDK's IPv6 sockets are dual-stack),
 * SO_REUSEADDR (set on server sockets), O_NONBLOCK and FD_CLOEXEC; for a socket that may have been
 * configured ({@link Carry}), the options that differ from a fresh socket's, the local address it is
 * bound to, and the epoll registration it holds (an epoll registration belongs to the open file, and
 * dup3 installs a new one). Only valid before connect/listen; the caller holds the socket's locks (see
 * {@link SocketHandle#locked}) or is the only thread that uses it (Netty's event loop).
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
        NOT_APPLICABLE,
        /** An option that changes behaviour and that MPTCP refuses was set: left TCP ({@link Result#reason()}). */
        KEPT_TCP
    }

    /**
     * What a swap of a possibly configured socket carries: option values (recorded under {@code owner}
     * where MPTCP refuses a hint), the local binding, and an epoll registration to restore on the new
     * file ({@code epollFd < 0}: none), whose data is the fd number (what the JDK's and Netty's event
     * loops register).
     */
    public record Carry(Object owner, int epollFd, int epollEvents, boolean options) {
        static final Carry NOTHING = new Carry(null, -1, 0, false);

        /** Options, binding and the epoll registration. */
        public Carry(Object owner, int epollFd, int epollEvents) {
            this(owner, epollFd, epollEvents, true);
        }

        public static Carry options(Object owner) {
            return new Carry(owner, -1, 0, true);
        }

        /**
         * The same without the option values: for a socket its owner is known to have set no option on
         * (the agent sees every option the JDK sets), which saves reading some thirty of them.
         */
        public Carry withoutOptions() {
            return new Carry(owner, epollFd, epollEvents, false);
        }
    }

    /** The outcome, the carried option values MPTCP refused without an answer (one text each), and why it stayed TCP. */
    public record Result(Outcome outcome, List<String> refused, String reason) {
        static Result of(Outcome outcome) {
            return new Result(outcome, List.of(), null);
        }
    }

    /**
     * Swaps a fresh {@code fd} to MPTCP. Throws {@link ErrnoException} from {@code socket()} when the
     * kernel refuses MPTCP (the fd is then untouched and still a working TCP socket).
     */
    public static Outcome toMptcp(int fd) throws IOException {
        return toMptcp(fd, null).outcome();
    }

    /** As {@link #toMptcp(int)}, for a socket that may have been configured and bound: see {@link Carry}. */
    public static Result toMptcp(int fd, Carry carry) throws IOException {
        if (NativeSockets.getIntOption(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_MPTCP) {
            return Result.of(Outcome.ALREADY_MPTCP);
        }
        int type = NativeSockets.getIntOption(fd, SOL_SOCKET, SO_TYPE);
        if (type != SOCK_STREAM) {
            throw new IOException("fd " + fd + " is not a stream socket (SO_TYPE " + type + "): only TCP sockets can become MPTCP");
        }
        int domain = NativeSockets.getIntOption(fd, SOL_SOCKET, SO_DOMAIN);
        if (domain != AF_INET && domain != AF_INET6) {
            return Result.of(Outcome.NOT_APPLICABLE);
        }
        int v6only = domain == AF_INET6 ? NativeSockets.getIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY) : -1;
        int reuse = NativeSockets.getIntOption(fd, SOL_SOCKET, SO_REUSEADDR);
        int statusFlags = NativeSockets.fcntl(fd, F_GETFL, 0);
        int fdFlags = NativeSockets.fcntl(fd, F_GETFD, 0);

        Carry what = carry != null ? carry : Carry.NOTHING;
        List<CarriedOptions.Value> carried = carry == null || !carry.options() ? List.of() : CarriedOptions.changed(fd, domain);
        byte[] local = carry == null ? null : NativeSockets.getsockname(fd);
        int mptcp = NativeSockets.socket(domain, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_MPTCP);
        boolean ownerReuseRaised = false;
        CarriedOptions.Applied applied;
        try {
            applied = CarriedOptions.apply(mptcp, carried);
            if (applied.keepTcp() != null) {
                return new Result(Outcome.KEPT_TCP, List.of(), applied.keepTcp());
            }
            // A fresh IPv6 socket follows net.ipv6.bindv6only; always restate what the owner chose.
            if (v6only >= 0) {
                NativeSockets.setIntOption(mptcp, IPPROTO_IPV6, IPV6_V6ONLY, v6only);
            }
            if (local != null && Sockaddr.isBound(local)) {
                ownerReuseRaised = reuse == 0;
                bindBeside(fd, mptcp, local, reuse);
            } else if (reuse != 0) {
                NativeSockets.setIntOption(mptcp, SOL_SOCKET, SO_REUSEADDR, 1);
            }
            if ((statusFlags & O_NONBLOCK) != 0) {
                NativeSockets.fcntl(mptcp, F_SETFL, O_NONBLOCK);
            }
            // dup3 closes the old (TCP) socket behind fd atomically and installs the MPTCP one.
            NativeSockets.dup3(mptcp, fd, (fdFlags & FD_CLOEXEC) != 0 ? O_CLOEXEC : 0);
            ownerReuseRaised = false;
        } finally {
            NativeSockets.closeQuietly(mptcp);
            if (ownerReuseRaised) {
                NativeSockets.setIntOptionQuietly(fd, SOL_SOCKET, SO_REUSEADDR, 0); // the swap failed: leave fd as it was
            }
        }
        if (what.owner() != null) {
            applied.recordUnder(what.owner());
        }
        if (what.epollFd() >= 0) {
            // the old file's registration left with it: the owner's next EPOLL_CTL_MOD would get ENOENT
            NativeSockets.epollCtl(what.epollFd(), Linux.EPOLL_CTL_ADD, fd, what.epollEvents(), fd);
        }
        return new Result(Outcome.UPGRADED, applied.refused(), null);
    }

    /**
     * Binds {@code mptcp} to the address and port {@code fd} is bound to, while {@code fd} still holds
     * them: with SO_REUSEADDR on both (neither listens), Linux lets the two share the port, so no other
     * socket can take it in between. The owner's SO_REUSEADDR is restored afterwards.
     */
    private static void bindBeside(int fd, int mptcp, byte[] local, int reuse) throws ErrnoException {
        if (reuse == 0) {
            NativeSockets.setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        }
        NativeSockets.setIntOption(mptcp, SOL_SOCKET, SO_REUSEADDR, 1);
        NativeSockets.bind(mptcp, local);
        if (reuse == 0) {
            NativeSockets.setIntOption(mptcp, SOL_SOCKET, SO_REUSEADDR, 0);
        }
    }
}
