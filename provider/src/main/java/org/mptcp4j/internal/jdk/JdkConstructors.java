package org.mptcp4j.internal.jdk;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ProtocolFamily;
import java.net.SocketImpl;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK's own channel, selector and socket-impl classes, constructed with a provider of our
 * choosing, so that {@code channel.provider() == SelectorProvider.provider()} holds when mptcp4j's
 * provider is installed. Everything is looked up by name and shape once; a JDK with another shape
 * gives an {@link InternalsUnavailableException} and the caller falls back to the JDK's provider.
 */
public final class JdkConstructors {
    private final MethodHandle socketChannel;        // (SelectorProvider, ProtocolFamily)
    private final MethodHandle socketChannelDefault; // (SelectorProvider)
    private final MethodHandle serverChannel;        // (SelectorProvider, ProtocolFamily)
    private final MethodHandle serverChannelDefault; // (SelectorProvider)
    private final MethodHandle selector;             // (SelectorProvider) of the platform selector
    private final MethodHandle pipe;                 // (SelectorProvider)
    private final MethodHandle datagram;             // (SelectorProvider, boolean interruptible)
    private final MethodHandle datagramFamily;       // (SelectorProvider, ProtocolFamily, boolean)

    private JdkConstructors(MethodHandle... h) {
        socketChannel = h[0];
        socketChannelDefault = h[1];
        serverChannel = h[2];
        serverChannelDefault = h[3];
        selector = h[4];
        pipe = h[5];
        datagram = h[6];
        datagramFamily = h[7];
    }

    /** The JDK's default SelectorProvider ({@code sun.nio.ch.DefaultSelectorProvider.get()}). */
    public static SelectorProvider defaultSelectorProvider() throws InternalsUnavailableException {
        return (SelectorProvider) invokeStatic("sun.nio.ch.DefaultSelectorProvider", "get", MethodType.methodType(
                classFor("sun.nio.ch.SelectorProviderImpl")));
    }

    /** The JDK's default AsynchronousChannelProvider ({@code sun.nio.ch.DefaultAsynchronousChannelProvider.create()}). */
    public static AsynchronousChannelProvider defaultAsynchronousProvider() throws InternalsUnavailableException {
        return (AsynchronousChannelProvider) invokeStatic("sun.nio.ch.DefaultAsynchronousChannelProvider", "create",
                MethodType.methodType(AsynchronousChannelProvider.class));
    }

    /** Finds the selector-provider constructors; {@code jdk} is the JDK provider whose selector class is reused. */
    public static JdkConstructors forSelectorProvider(SelectorProvider jdk) throws InternalsUnavailableException {
        Class<?> selectorClass;
        try (AbstractSelector probe = jdk.openSelector()) {
            selectorClass = probe.getClass();
        } catch (IOException e) {
            throw new InternalsUnavailableException("cannot open a probe selector: " + e.getMessage(), false, e);
        }
        Class<?> sc = classFor("sun.nio.ch.SocketChannelImpl");
        Class<?> ssc = classFor("sun.nio.ch.ServerSocketChannelImpl");
        Class<?> pipeImpl = classFor("sun.nio.ch.PipeImpl");
        Class<?> dc = classFor("sun.nio.ch.DatagramChannelImpl");
        return new JdkConstructors(
                constructor(sc, SelectorProvider.class, ProtocolFamily.class),
                constructor(sc, SelectorProvider.class),
                constructor(ssc, SelectorProvider.class, ProtocolFamily.class),
                constructor(ssc, SelectorProvider.class),
                constructor(selectorClass, SelectorProvider.class),
                constructor(pipeImpl, SelectorProvider.class),
                constructor(dc, SelectorProvider.class, boolean.class),
                constructor(dc, SelectorProvider.class, ProtocolFamily.class, boolean.class));
    }

    /**
     * A SocketChannel owned by {@code sp}: with {@code tolerant}, mptcp4j's option-tolerant subclass
     * where it exists (see {@link ChannelSubclasses}), else the JDK's class.
     */
    public SocketChannel socketChannel(SelectorProvider sp, ProtocolFamily family, boolean tolerant) throws IOException {
        ChannelSubclasses compat = tolerant ? ChannelSubclasses.forFamily(family) : null;
        if (compat != null) {
            return compat.socketChannel(sp, family);
        }
        return (SocketChannel) (family == null ? create(socketChannelDefault, sp) : create(socketChannel, sp, family));
    }

    /** A ServerSocketChannel owned by {@code sp}, its class chosen as {@link #socketChannel}'s is. */
    public ServerSocketChannel serverSocketChannel(SelectorProvider sp, ProtocolFamily family, boolean tolerant) throws IOException {
        ChannelSubclasses compat = tolerant ? ChannelSubclasses.forFamily(family) : null;
        if (compat != null) {
            return compat.serverSocketChannel(sp, family);
        }
        return (ServerSocketChannel) (family == null ? create(serverChannelDefault, sp) : create(serverChannel, sp, family));
    }

    public AbstractSelector selector(SelectorProvider sp) throws IOException {
        return (AbstractSelector) create(selector, sp);
    }

    public Pipe pipe(SelectorProvider sp) throws IOException {
        return (Pipe) create(pipe, sp);
    }

    public DatagramChannel datagramChannel(SelectorProvider sp, ProtocolFamily family) throws IOException {
        return (DatagramChannel) (family == null ? create(datagram, sp, true) : create(datagramFamily, sp, family, true));
    }

    /** Asynchronous channels: EPollPort groups owned by our provider, and the Unix channel impls on them. */
    public static final class Asynchronous {
        private final MethodHandle port;          // EPollPort(AsynchronousChannelProvider, ThreadPool)
        private final MethodHandle start;         // EPollPort.start()
        private final MethodHandle poolCreate;    // ThreadPool.create(int, ThreadFactory)
        private final MethodHandle poolWrap;      // ThreadPool.wrap(ExecutorService, int)
        private final MethodHandle poolDefault;   // ThreadPool.getDefault()
        private final MethodHandle socket;        // UnixAsynchronousSocketChannelImpl(Port)
        private final MethodHandle server;        // UnixAsynchronousServerSocketChannelImpl(Port)
        private final Class<?> portClass;

        private Asynchronous() throws InternalsUnavailableException {
            Class<?> epollPort = classFor("sun.nio.ch.EPollPort");
            Class<?> threadPool = classFor("sun.nio.ch.ThreadPool");
            portClass = classFor("sun.nio.ch.Port");
            port = constructor(epollPort, AsynchronousChannelProvider.class, threadPool);
            start = virtual(epollPort, "start", MethodType.methodType(epollPort));
            poolCreate = statik(threadPool, "create", MethodType.methodType(threadPool, int.class, ThreadFactory.class));
            poolWrap = statik(threadPool, "wrap", MethodType.methodType(threadPool, ExecutorService.class, int.class));
            poolDefault = statik(threadPool, "getDefault", MethodType.methodType(threadPool));
            socket = constructor(classFor("sun.nio.ch.UnixAsynchronousSocketChannelImpl"), portClass);
            server = constructor(classFor("sun.nio.ch.UnixAsynchronousServerSocketChannelImpl"), portClass);
        }

        public static Asynchronous find() throws InternalsUnavailableException {
            return new Asynchronous();
        }

        public AsynchronousChannelGroup group(AsynchronousChannelProvider owner, int threads, ThreadFactory factory) throws IOException {
            return start(owner, call(poolCreate, threads, factory));
        }

        public AsynchronousChannelGroup group(AsynchronousChannelProvider owner, ExecutorService executor, int initialSize) throws IOException {
            return start(owner, call(poolWrap, executor, initialSize));
        }

        public AsynchronousChannelGroup defaultGroup(AsynchronousChannelProvider owner) throws IOException {
            return start(owner, call(poolDefault));
        }

        private AsynchronousChannelGroup start(AsynchronousChannelProvider owner, Object pool) throws IOException {
            Object p = create(port, owner, pool);
            return (AsynchronousChannelGroup) call(start, p);
        }

        /** Whether {@code group} is a JDK port this provider can open channels on. */
        public boolean isPort(AsynchronousChannelGroup group) {
            return portClass.isInstance(group);
        }

        public AsynchronousSocketChannel socket(AsynchronousChannelGroup group) throws IOException {
            return (AsynchronousSocketChannel) create(socket, group);
        }

        public AsynchronousServerSocketChannel server(AsynchronousChannelGroup group) throws IOException {
            return (AsynchronousServerSocketChannel) create(server, group);
        }
    }

    /** {@code new sun.nio.ch.NioSocketImpl(server)}: the JDK's platform SocketImpl. */
    public static SocketImpl platformSocketImpl(boolean server) throws InternalsUnavailableException {
        MethodHandle h = platformSocketImplConstructor;
        if (h == null) { // looked up once, not per socket (it showed in the connection rate)
            h = constructor(classFor("sun.nio.ch.NioSocketImpl"), boolean.class).asType(MethodType.methodType(SocketImpl.class, boolean.class));
            platformSocketImplConstructor = h;
        }
        try {
            return (SocketImpl) h.invokeExact(server);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new InternalsUnavailableException("new NioSocketImpl failed: " + t, false, t);
        }
    }

    private static volatile MethodHandle platformSocketImplConstructor; // (boolean server) SocketImpl

    // ------------------------------------------------------------------ reflection helpers

    static Class<?> classFor(String name) throws InternalsUnavailableException {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            throw JdkInternals.unrecognized(Object.class, "(class " + name + " does not exist)");
        }
    }

    private static MethodHandles.Lookup lookup(Class<?> c) throws InternalsUnavailableException {
        try {
            return JdkInternals.privateLookup(c);
        } catch (IllegalAccessException e) {
            throw JdkInternals.notOpen(c, e);
        }
    }

    private static MethodHandle constructor(Class<?> c, Class<?>... params) throws InternalsUnavailableException {
        try {
            return lookup(c).findConstructor(c, MethodType.methodType(void.class, params));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw JdkInternals.unrecognized(c, "has no constructor " + MethodType.methodType(void.class, params));
        }
    }

    private static MethodHandle virtual(Class<?> c, String name, MethodType type) throws InternalsUnavailableException {
        try {
            return lookup(c).findVirtual(c, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw JdkInternals.unrecognized(c, "has no method " + name + type);
        }
    }

    private static MethodHandle statik(Class<?> c, String name, MethodType type) throws InternalsUnavailableException {
        try {
            return lookup(c).findStatic(c, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw JdkInternals.unrecognized(c, "has no static method " + name + type);
        }
    }

    private static Object invokeStatic(String className, String name, MethodType type) throws InternalsUnavailableException {
        MethodHandle h = statik(classFor(className), name, type);
        try {
            return h.invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new InternalsUnavailableException(className + "." + name + " failed: " + t, false, t);
        }
    }

    private static Object create(MethodHandle h, Object... args) throws IOException {
        return call(h, args);
    }

    private static Object call(MethodHandle h, Object... args) throws IOException {
        try {
            return h.invokeWithArguments(args);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
