package org.mptcp4j;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.jdk.AsynchronousChannels;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.JdkConstructors;
import org.mptcp4j.internal.log.Log;

/**
 * An {@link AsynchronousChannelProvider} whose TCP channels are MPTCP, for unmodified code:
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=org.mptcp4j.MptcpAsynchronousChannelProvider}.
 *
 * <p>Channel groups are the JDK's epoll ports owned by this provider, so channels opened on any
 * group ({@code AsynchronousSocketChannel.open(group)}) come back here and are converted.
 */
public final class MptcpAsynchronousChannelProvider extends AsynchronousChannelProvider {

    private final AsynchronousChannelProvider jdk;
    private final JdkConstructors.Asynchronous constructors; // null: delegate as-is, plain TCP
    private final Engine engine;
    private volatile AsynchronousChannelGroup defaultGroup;

    /** Called by {@link AsynchronousChannelProvider#provider()} when the system property names this class. */
    public MptcpAsynchronousChannelProvider() {
        this.engine = Engine.system();
        AsynchronousChannelProvider base = null;
        JdkConstructors.Asynchronous found = null;
        try {
            base = JdkConstructors.defaultAsynchronousProvider();
            found = JdkConstructors.Asynchronous.find();
        } catch (InternalsUnavailableException e) {
            Log.warning("MptcpAsynchronousChannelProvider runs as plain TCP: " + e.getMessage());
        }
        if (base == null) {
            throw new IllegalStateException("mptcp4j: cannot reach the JDK's default AsynchronousChannelProvider; add "
                    + Mptcp.requiredJvmFlags() + " to the java command");
        }
        this.jdk = base;
        this.constructors = found;
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory) throws IOException {
        if (nThreads <= 0) {
            throw new IllegalArgumentException("nThreads " + nThreads + " must be > 0");
        }
        return constructors == null ? jdk.openAsynchronousChannelGroup(nThreads, threadFactory)
                : constructors.group(this, nThreads, threadFactory);
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize) throws IOException {
        return constructors == null ? jdk.openAsynchronousChannelGroup(executor, initialSize)
                : constructors.group(this, executor, initialSize);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group) throws IOException {
        if (constructors == null) {
            return jdk.openAsynchronousServerSocketChannel(group);
        }
        AsynchronousServerSocketChannel ch = constructors.server(port(group));
        engine.serverOpened(ch);
        // strict: the kernel's refusals of socket options reach the application
        return engine.policy().strict() ? ch : AsynchronousChannels.server(this, ch);
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group) throws IOException {
        if (constructors == null) {
            return jdk.openAsynchronousSocketChannel(group);
        }
        AsynchronousSocketChannel ch = constructors.socket(port(group));
        engine.clientOpened(ch);
        return engine.policy().strict() ? ch : AsynchronousChannels.socket(this, ch);
    }

    private AsynchronousChannelGroup port(AsynchronousChannelGroup group) throws IOException {
        if (group == null) {
            AsynchronousChannelGroup g = defaultGroup;
            if (g == null) {
                synchronized (this) {
                    g = defaultGroup;
                    if (g == null) {
                        defaultGroup = g = constructors.defaultGroup(this);
                    }
                }
            }
            return g;
        }
        if (!constructors.isPort(group)) {
            throw new IllegalChannelGroupException();
        }
        return group;
    }
}
