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
        /** Not an IPv4/IPv6 stream socket (a Unix-domain channel, a UDP socket): left alone. */
        NOT_APPLICABLE,
        /** An option that changes behaviour and that MPTCP refuses was set: left TCP ({@link Result#reason()}). */
        KEPT_TCP,
        /** The fd went back from MPTCP to a TCP socket ({@link #toTcp}), or already was TCP. */
        RESTORED_TCP
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
        return swap(fd, IPPROTO_MPTCP, carry);
    }

    /**
     * The way back: replaces the MPTCP socket behind {@code fd} (made MPTCP when it was created, before its
     * destination was known) with a TCP socket, carrying what {@code carry} names as {@link #toMptcp} does,
     * and giving the TCP socket for real the option values recorded under the owner when MPTCP refused them.
     */
    public static Result toTcp(int fd, Carry carry) throws IOException {
        return swap(fd, 0, carry);
    }

    /**
     * A new MPTCP stream socket set up as the JDK sets up its own ({@code Net.socket0}): dual-stack when
     * IPv6, SO_REUSEADDR for listeners. Throws {@link ErrnoException} when the kernel refuses it.
     */
    public static int mptcpSocket(boolean ipv6, boolean reuse) throws ErrnoException {
        int domain = ipv6 ? AF_INET6 : AF_INET;
        int fd = NativeSockets.socket(domain, SOCK_STREAM, IPPROTO_MPTCP); // the JDK sets no close-on-exec on its sockets either
        try {
            if (ipv6) {
                NativeSockets.setIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
            }
            if (reuse) {
                NativeSockets.setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1);
            }
            return fd;
        } catch (ErrnoException e) {
            NativeSockets.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Puts {@code replacement} (a socket {@link #mptcpSocket} made) behind {@code fd}, a stream socket the
     * JDK created a moment ago and has not handed out: nothing was set on it or bound, so nothing is read
     * or carried. {@code replacement} is closed in every case; on failure {@code fd} is as the JDK made it.
     */
    public static void installFresh(int replacement, int fd) throws ErrnoException {
        try {
            NativeSockets.dup3(replacement, fd, 0); // no close-on-exec: the JDK sets none on its sockets
        } finally {
            NativeSockets.closeQuietly(replacement);
        }
    }

    private static Result swap(int fd, int protocol, Carry carry) throws IOException {
        int current = NativeSockets.getIntOption(fd, SOL_SOCKET, SO_PROTOCOL);
        if (protocol == IPPROTO_MPTCP && current == IPPROTO_MPTCP) {
            return Result.of(Outcome.ALREADY_MPTCP);
        }
        if (protocol != IPPROTO_MPTCP && current != IPPROTO_MPTCP) {
            return Result.of(Outcome.RESTORED_TCP);
        }
        if (NativeSockets.getIntOption(fd, SOL_SOCKET, SO_TYPE) != SOCK_STREAM) {
            return Result.of(Outcome.NOT_APPLICABLE); // only TCP sockets become MPTCP; a UDP socket's connect is its own business
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
        List<CarriedOptions.Value> carried = carry == null || !carry.options() ? List.of() : CarriedOptions.changed(fd, domain, current);
        byte[] local = carry == null ? null : NativeSockets.getsockname(fd);
        int replacement = NativeSockets.socket(domain, SOCK_STREAM | SOCK_CLOEXEC, protocol);
        boolean ownerReuseRaised = false;
        CarriedOptions.Applied applied;
        try {
            applied = CarriedOptions.apply(replacement, carried);
            if (applied.keepTcp() != null) {
                return new Result(Outcome.KEPT_TCP, List.of(), applied.keepTcp());
            }
            // A fresh IPv6 socket follows net.ipv6.bindv6only; always restate what the owner chose.
            if (v6only >= 0) {
                NativeSockets.setIntOption(replacement, IPPROTO_IPV6, IPV6_V6ONLY, v6only);
            }
            if (local != null && Sockaddr.isBound(local)) {
                ownerReuseRaised = reuse == 0;
                bindBeside(fd, replacement, local, reuse);
            } else if (reuse != 0) {
                NativeSockets.setIntOption(replacement, SOL_SOCKET, SO_REUSEADDR, 1);
            }
            if ((statusFlags & O_NONBLOCK) != 0) {
                NativeSockets.fcntl(replacement, F_SETFL, O_NONBLOCK);
            }
            // dup3 closes the old socket behind fd atomically and installs the new one.
            NativeSockets.dup3(replacement, fd, (fdFlags & FD_CLOEXEC) != 0 ? O_CLOEXEC : 0);
            ownerReuseRaised = false;
        } finally {
            NativeSockets.closeQuietly(replacement);
            if (ownerReuseRaised) {
                NativeSockets.setIntOptionQuietly(fd, SOL_SOCKET, SO_REUSEADDR, 0); // the swap failed: leave fd as it was
            }
        }
        if (protocol == IPPROTO_MPTCP && what.owner() != null) {
            applied.recordUnder(what.owner());
        } else if (protocol != IPPROTO_MPTCP) {
            CarriedOptions.giveRecorded(fd, domain, what.owner());
        }
        if (what.epollFd() >= 0) {
            // the old file's registration left with it: the owner's next EPOLL_CTL_MOD would get ENOENT
            NativeSockets.epollCtl(what.epollFd(), Linux.EPOLL_CTL_ADD, fd, what.epollEvents(), fd);
        }
        return new Result(protocol == IPPROTO_MPTCP ? Outcome.UPGRADED : Outcome.RESTORED_TCP, applied.refused(), null);
    }

    /**
     * Binds {@code replacement} to the address and port {@code fd} is bound to, while {@code fd} still holds
     * them: with SO_REUSEADDR on both (neither listens), Linux lets the two share the port, so no other
     * socket can take it in between. The owner's SO_REUSEADDR is restored afterwards.
     */
    private static void bindBeside(int fd, int replacement, byte[] local, int reuse) throws ErrnoException {
        if (reuse == 0) {
            NativeSockets.setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        }
        NativeSockets.setIntOption(replacement, SOL_SOCKET, SO_REUSEADDR, 1);
        NativeSockets.bind(replacement, local);
        if (reuse == 0) {
            NativeSockets.setIntOption(replacement, SOL_SOCKET, SO_REUSEADDR, 0);
        }
    }
}
