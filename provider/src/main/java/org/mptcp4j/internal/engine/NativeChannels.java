package org.mptcp4j.internal.engine;

import java.io.IOException;
import java.util.Optional;
import org.mptcp4j.MptcpInfo;

/**
 * The library's rules for sockets another library's native code created and owns by fd (Netty's epoll
 * channels): made MPTCP before anyone configured or registered them, counted like the library's own,
 * and read back from the kernel. Internal: exported only to mptcp4j's integration modules.
 */
public final class NativeChannels {
    private static final Sockets DEFAULT = new Sockets(false);
    private static final Sockets STRICT = new Sockets(true);

    private NativeChannels() {}

    /**
     * Makes the fresh socket {@code fd} MPTCP (nothing set on it yet, so nothing to carry). Falls back to
     * TCP with one warning per reason, or when {@code strict} throws
     * {@link org.mptcp4j.MptcpUnavailableException}. True if it is MPTCP now.
     */
    public static boolean toMptcp(int fd, boolean listener, boolean strict) throws IOException {
        boolean mptcp = (strict ? STRICT : DEFAULT).swapUnpublished(fd);
        Connections.opened(fd, listener);
        return mptcp;
    }

    /** Status and fallback reason of {@code fd}, as {@code Mptcp.status} reports them for channels. */
    public static Negotiation.Outcome status(int fd) throws IOException {
        return Connections.status(fd);
    }

    /** The MPTCP connection behind {@code fd}, with interface names; empty when it is not MPTCP. */
    public static Optional<MptcpInfo> info(int fd) throws IOException {
        return InfoReader.withInterfaces(InfoReader.info(fd));
    }
}
