package sun.nio.ch;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The JDK's SocketChannelImpl, unchanged except that an option the MPTCP socket refuses but TCP
 * accepts (SO_OOBINLINE, TCP_QUICKACK, IP_TOS on the dual-stack socket, reuse flags once connected)
 * goes through mptcp4j's option policy instead of failing, and getOption returns what was set.
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

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        MptcpOptionHooks.set(() -> super.setOption(name, value), getFD(), name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return MptcpOptionHooks.get(() -> super.getOption(name), getFD(), name);
    }
}
