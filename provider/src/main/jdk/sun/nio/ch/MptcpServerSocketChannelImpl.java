package sun.nio.ch;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The JDK's ServerSocketChannelImpl whose accepted channels are {@link MptcpSocketChannelImpl}s
 * (same fd, same state: the JDK's own accepted channel object is dropped unused), and whose own
 * options go through the same policy.
 */
class MptcpServerSocketChannelImpl extends ServerSocketChannelImpl {
    private final ProtocolFamily family; // what the JDK gives its accepted channels: the listener's family

    MptcpServerSocketChannelImpl(SelectorProvider sp) throws IOException {
        super(sp);
        this.family = Net.isIPv6Available() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    MptcpServerSocketChannelImpl(SelectorProvider sp, ProtocolFamily family) throws IOException {
        super(sp, family);
        this.family = family;
    }

    @Override
    public SocketChannel accept() throws IOException {
        return adopt(super.accept());
    }

    @Override
    SocketChannel blockingAccept(long nanos) throws IOException {
        return adopt(super.blockingAccept(nanos)); // ServerSocket adaptor's accept
    }

    private SocketChannel adopt(SocketChannel accepted) throws IOException {
        if (accepted == null) {
            return null;
        }
        SocketChannelImpl jdk = (SocketChannelImpl) accepted;
        try {
            SocketChannel adopted = new MptcpSocketChannelImpl(provider(), family, jdk.getFD(), jdk.getRemoteAddress());
            MptcpChannelHooks.established(jdk.getFD(), getFD());
            return adopted;
        } catch (IOException | RuntimeException | Error e) {
            try {
                jdk.close(); // the fd must not leak with the channel nobody will see
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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
