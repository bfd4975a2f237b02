package org.mptcp4j;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import org.mptcp4j.internal.engine.Connections;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.JdkConstructors;
import org.mptcp4j.internal.log.Log;

/**
 * A {@link SelectorProvider} whose TCP channels are MPTCP, for unmodified code:
 * {@code -Djava.nio.channels.spi.SelectorProvider=org.mptcp4j.MptcpSelectorProvider}.
 *
 * <p>Every channel is the JDK's own implementation constructed with this provider, so selectors
 * work and {@code channel.provider() == SelectorProvider.provider()}. Datagram channels, pipes and
 * Unix-domain channels are created exactly as the JDK creates them. Which TCP channels become MPTCP
 * follows the {@code mptcp4j.*} policy; a client channel's destination is not visible to a
 * provider, so destination rules apply only where it is (the SocketImpl path and the agent).
 */
public final class MptcpSelectorProvider extends SelectorProvider {

    private final SelectorProvider jdk;
    private final JdkConstructors constructors; // null: the JDK's shape is unknown, delegate as-is
    private final Engine engine;

    /** Called by {@link SelectorProvider#provider()} when the system property names this class. */
    public MptcpSelectorProvider() {
        this(Engine.system());
    }

    MptcpSelectorProvider(Engine engine) {
        this.engine = engine;
        SelectorProvider base;
        JdkConstructors found = null;
        try {
            base = JdkConstructors.defaultSelectorProvider();
            found = JdkConstructors.forSelectorProvider(base);
        } catch (InternalsUnavailableException e) {
            base = fallbackProvider();
            Log.warning("MptcpSelectorProvider runs as plain TCP: " + e.getMessage());
        }
        this.jdk = base;
        this.constructors = found;
        if (found != null) {
            Connections.listen(); // its channels may be mptcp4j's subclasses, which report completed connections there
        }
    }

    /** Without the JDK internals: the JDK's default via the public API, ignoring the system property. */
    private static SelectorProvider fallbackProvider() {
        try {
            return (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider")
                    .getMethod("get").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("mptcp4j: cannot reach the JDK's default SelectorProvider; add "
                    + Mptcp.requiredJvmFlags() + " to the java command", e);
        }
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return constructors == null ? jdk.openDatagramChannel() : constructors.datagramChannel(this, null);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return constructors == null ? jdk.openDatagramChannel(family) : constructors.datagramChannel(this, family);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return constructors == null ? jdk.openPipe() : constructors.pipe(this);
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        return constructors == null ? jdk.openSelector() : constructors.selector(this);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return openServerSocketChannel(null);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        if (constructors == null) {
            return family == null ? jdk.openServerSocketChannel() : jdk.openServerSocketChannel(family);
        }
        // strict: the kernel's refusals of socket options reach the application, so the JDK's own class
        ServerSocketChannel ch = constructors.serverSocketChannel(this, family, !engine.policy().strict());
        if (family != StandardProtocolFamily.UNIX) {
            engine.serverOpened(ch);
        }
        return ch;
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return openSocketChannel(null);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        if (constructors == null) {
            return family == null ? jdk.openSocketChannel() : jdk.openSocketChannel(family);
        }
        SocketChannel ch = constructors.socketChannel(this, family, !engine.policy().strict());
        if (family != StandardProtocolFamily.UNIX) {
            engine.clientOpened(ch);
        }
        return ch;
    }

    @Override
    public Channel inheritedChannel() throws IOException {
        return jdk.inheritedChannel();
    }
}
