package sun.nio.ch;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The JDK's SocketChannelImpl, unchanged except that an option the MPTCP socket refuses but TCP
 * accepts (SO_OOBINLINE, TCP_QUICKACK, IP_TOS on the dual-stack socket, reuse flags once connected)
 * goes through mptcp4j's option policy instead of failing, and getOption returns what was set; that
 * its socket view connects without a timeout in blocking mode ({@link #blockingConnect}); and that it
 * reports completed connections and closes to mptcp4j.
 */
class MptcpSocketChannelImpl extends SocketChannelImpl {
    MptcpSocketChannelImpl(SelectorProvider sp) throws IOException {
        super(sp);
    }

    MptcpSocketChannelImpl(SelectorProvider sp, ProtocolFamily family) throws IOException {
        super(sp, family);
    }

    MptcpSocketChannelImpl(SelectorProvider sp, ProtocolFamily family, FileDescriptor fd, SocketAddress remote) throws IOException {
        super(sp, family, fd, remote);
    }

    /** The family of a channel opened without one: the JDK's default (IPv6 where it is available). */
    static ProtocolFamily defaultFamily() {
        return Net.isIPv6Available() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * An unconnected, unbound channel over {@code fd}, a fresh stream socket of {@code family} its caller made
     * (an MPTCP one), so that the JDK creates no socket of its own to be replaced. Made with the constructor of
     * accepted channels, then set back to what a new channel is; a JDK without those fields fails here, and
     * the caller closes {@code fd} and opens its channel the usual way.
     */
    static SocketChannel unconnected(SelectorProvider sp, ProtocolFamily family, int fd) throws IOException {
        MptcpSocketChannelImpl ch = new MptcpSocketChannelImpl(sp, family, IOUtil.newFD(fd), null);
        Unconnected.STATE.set(ch, Unconnected.ST_UNCONNECTED);
        Unconnected.LOCAL_ADDRESS.set(ch, (SocketAddress) null); // the constructor read the unbound socket's wildcard address
        return ch;
    }

    /** SocketChannelImpl's state fields, by name: a holder, so that a JDK without them fails only {@link #unconnected}. */
    private static final class Unconnected {
        static final VarHandle STATE;
        static final VarHandle LOCAL_ADDRESS;
        static final int ST_UNCONNECTED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(SocketChannelImpl.class, MethodHandles.lookup());
                STATE = l.findVarHandle(SocketChannelImpl.class, "state", int.class);
                LOCAL_ADDRESS = l.findVarHandle(SocketChannelImpl.class, "localAddress", SocketAddress.class);
                ST_UNCONNECTED = (int) l.findStaticVarHandle(SocketChannelImpl.class, "ST_UNCONNECTED", int.class).get();
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        boolean connected = super.connect(remote);
        if (connected) {
            MptcpChannelHooks.established(getFD(), null);
        }
        return connected;
    }

    @Override
    public boolean finishConnect() throws IOException {
        boolean before = isConnected(); // finishConnect() answers true again on a connected channel
        boolean connected = super.finishConnect();
        if (connected && !before) {
            MptcpChannelHooks.established(getFD(), null);
        }
        return connected;
    }

    /**
     * The Socket adaptor's connect. Without a timeout, the channel's own blocking connect, as a plain {@code Socket}
     * connects: the JDK's timed path switches the socket to non-blocking and back around a poll and an SO_ERROR read,
     * six system calls a connection for nothing to time. Same locks, interrupt and close-on-failure handling.
     */
    @Override
    void blockingConnect(SocketAddress remote, long nanos) throws IOException {
        if (nanos == Long.MAX_VALUE && isBlocking()) {
            if (!super.connect(remote)) {
                // made non-blocking by another thread meanwhile: the timed path's answer (the connection is pending)
                throw new IllegalBlockingModeException();
            }
        } else {
            super.blockingConnect(remote, nanos); // a timeout, or non-blocking (which throws there)
        }
        MptcpChannelHooks.established(getFD(), null);
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        MptcpChannelHooks.closing(getFD()); // before the fd goes: what the connection looked like at its end
        super.implCloseSelectableChannel();
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        try {
            return super.setOption(name, value);
        } catch (SocketException | UnsupportedOperationException e) { // jdk.net options report EOPNOTSUPP as the latter
            if (!MptcpChannelHooks.accepts(e, getFD(), name, value)) {
                throw e;
            }
            return this;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Object recorded = MptcpChannelHooks.recorded(getFD(), name);
        if (recorded != null) {
            return (T) recorded;
        }
        try {
            return super.getOption(name);
        } catch (SocketException | UnsupportedOperationException e) {
            Object answer = MptcpChannelHooks.readRefused(e, getFD(), name);
            if (answer == null) {
                throw e;
            }
            return (T) answer;
        }
    }
}
