package org.mptcp4j.internal.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.options.RefusedOptions;
import org.mptcp4j.internal.policy.Setting;

/**
 * mptcp4j's two channel classes: {@code sun.nio.ch.MptcpSocketChannelImpl} and
 * {@code MptcpServerSocketChannelImpl}, the JDK's SocketChannelImpl and ServerSocketChannelImpl with
 * setOption/getOption routed through {@link RefusedOptions} when the MPTCP socket refuses an option.
 * <p>Why subclasses: {@code SocketChannelImpl.setOption} goes straight to the kernel and the JDK has no
 * hook in between. Without an agent, a subclass is the only place where the library and the
 * SelectorProvider can give a refused option the same answer the agent gives. The classes ship as
 * bytes compiled against java.base ({@code src/main/jdk}) and are defined into java.base's own
 * package here, once, with {@link MethodHandles.Lookup#defineClass}; the {@code --add-opens
 * java.base/sun.nio.ch} that mptcp4j already requires is what permits it.
 * <p>Fails soft: on a JDK without the expected shape, or with {@code -Dmptcp4j.compatChannels=false},
 * {@link #get()} returns null and callers use the JDK's classes, where the kernel's refusals surface as
 * they would under {@code mptcpize}.
 */
public final class ChannelSubclasses {
    private static final String PACKAGE = "sun.nio.ch.";
    private static final String RESOURCES = "/META-INF/mptcp4j/jdk/sun/nio/ch/";

    private static volatile Object state; // ChannelSubclasses, or the InternalsUnavailableException that explains its absence

    private final MethodHandle socket;        // (SelectorProvider, ProtocolFamily)
    private final MethodHandle socketDefault; // (SelectorProvider)
    private final MethodHandle server;        // (SelectorProvider, ProtocolFamily)
    private final MethodHandle serverDefault; // (SelectorProvider)
    private final MethodHandle unconnected;   // static (SelectorProvider, ProtocolFamily, int fd) SocketChannel
    private final MethodHandle defaultFamily; // static () ProtocolFamily

    private ChannelSubclasses(Class<?> socketClass, Class<?> serverClass) throws ReflectiveOperationException {
        MethodHandles.Lookup sl = MethodHandles.privateLookupIn(socketClass, MethodHandles.lookup());
        MethodHandles.Lookup vl = MethodHandles.privateLookupIn(serverClass, MethodHandles.lookup());
        MethodType withFamily = MethodType.methodType(void.class, SelectorProvider.class, ProtocolFamily.class);
        MethodType plain = MethodType.methodType(void.class, SelectorProvider.class);
        socket = sl.findConstructor(socketClass, withFamily);
        socketDefault = sl.findConstructor(socketClass, plain);
        server = vl.findConstructor(serverClass, withFamily);
        serverDefault = vl.findConstructor(serverClass, plain);
        unconnected = sl.findStatic(socketClass, "unconnected",
                MethodType.methodType(SocketChannel.class, SelectorProvider.class, ProtocolFamily.class, int.class));
        defaultFamily = sl.findStatic(socketClass, "defaultFamily", MethodType.methodType(ProtocolFamily.class));
    }

    /** The family the JDK gives a channel opened without one (IPv6 where available). */
    public ProtocolFamily defaultFamily() {
        try {
            return (ProtocolFamily) defaultFamily.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A new option-tolerant, unconnected SocketChannel over {@code fd}, a fresh stream socket of {@code family}
     * (not null) the caller made. On any failure {@code fd} is left to the caller to close.
     */
    public SocketChannel socketChannelOver(SelectorProvider sp, ProtocolFamily family, int fd) throws IOException {
        try {
            return (SocketChannel) unconnected.invokeExact(sp, family, fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("mptcp4j: cannot create a channel: " + t, t);
        }
    }

    /** The classes, defined and wired on first call; null when this JDK cannot have them (see {@link #whyUnavailable()}). */
    public static ChannelSubclasses get() {
        Object s = state;
        if (s == null) {
            synchronized (ChannelSubclasses.class) {
                s = state;
                if (s == null) {
                    s = define();
                    state = s;
                }
            }
        }
        return s instanceof ChannelSubclasses ? (ChannelSubclasses) s : null;
    }

    /** Why {@link #get()} returns null, or null when it does not. */
    public static String whyUnavailable() {
        get();
        return state instanceof InternalsUnavailableException ? ((InternalsUnavailableException) state).getMessage() : null;
    }

    /** A new MPTCP-option-tolerant SocketChannel of {@code family} (null: the JDK's default) owned by {@code sp}. */
    public SocketChannel socketChannel(SelectorProvider sp, ProtocolFamily family) throws IOException {
        return (SocketChannel) create(family == null ? socketDefault : socket, sp, family);
    }

    /** A new MPTCP-option-tolerant ServerSocketChannel; its accepted channels are tolerant too. */
    public ServerSocketChannel serverSocketChannel(SelectorProvider sp, ProtocolFamily family) throws IOException {
        return (ServerSocketChannel) create(family == null ? serverDefault : server, sp, family);
    }

    /**
     * The classes for channels of {@code family} (null: the JDK's default), or null when they do not
     * apply (UNIX: the JDK's own class serves that) or this JDK cannot have them.
     */
    public static ChannelSubclasses forFamily(ProtocolFamily family) {
        boolean inet = family == null || family == StandardProtocolFamily.INET || family == StandardProtocolFamily.INET6;
        return inet ? get() : null;
    }

    private static Object create(MethodHandle h, SelectorProvider sp, ProtocolFamily family) throws IOException {
        try {
            return family == null ? h.invoke(sp) : h.invoke(sp, family);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("mptcp4j: cannot create a channel: " + t, t);
        }
    }

    private static Object define() {
        if (!Setting.COMPAT_CHANNELS.booleanValue(Log.warningEndingWith("; using true"))) {
            return new InternalsUnavailableException("switched off by -D" + Setting.COMPAT_CHANNELS.property()
                    + "=false", false, null);
        }
        try {
            Class<?> anchor = JdkConstructors.classFor(PACKAGE + "SocketChannelImpl");
            MethodHandles.Lookup jdk;
            try {
                jdk = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
            } catch (IllegalAccessException e) {
                throw JdkInternals.notOpen(anchor, e);
            }
            Class<?> hooks = defineOrFind(jdk, "MptcpChannelHooks");
            Class<?> socketClass = defineOrFind(jdk, "MptcpSocketChannelImpl");
            defineOrFind(jdk, "MptcpSocketChannelImpl$Unconnected"); // its nested holder (unconnected channels over our socket)
            Class<?> serverClass = defineOrFind(jdk, "MptcpServerSocketChannelImpl");
            MethodHandles.Lookup hl = MethodHandles.privateLookupIn(hooks, MethodHandles.lookup());
            hl.findStaticSetter(hooks, "refused", Predicate.class).invoke((Predicate<Object[]>) new SetRefused());
            hl.findStaticSetter(hooks, "recorded", BiFunction.class).invoke((BiFunction<FileDescriptor, SocketOption<?>, Object>) new Recorded());
            hl.findStaticSetter(hooks, "readRefused", Function.class).invoke((Function<Object[], Object>) new ReadRefused());
            hl.findStaticSetter(hooks, "established", BiConsumer.class).invoke((BiConsumer<FileDescriptor, FileDescriptor>) new Established());
            hl.findStaticSetter(hooks, "closing", java.util.function.Consumer.class).invoke((java.util.function.Consumer<FileDescriptor>) new Closing());
            ChannelSubclasses found = new ChannelSubclasses(socketClass, serverClass);
            // link everything now (a JDK whose SocketChannelImpl changed shape fails here, not in the application)
            found.socketChannel(JdkConstructors.defaultSelectorProvider(), null).close();
            found.serverSocketChannel(JdkConstructors.defaultSelectorProvider(), null).close();
            return found;
        } catch (InternalsUnavailableException e) {
            return e;
        } catch (Throwable t) { // LinkageError, ReflectiveOperationException, IOException: this JDK is not the shape we know
            return new InternalsUnavailableException("mptcp4j's channel subclasses do not fit this JDK ("
                    + Runtime.version() + "): " + t, false, t);
        }
    }

    /** Defines {@code sun.nio.ch.name} from the bundled bytes, or finds it if an earlier mptcp4j in this JVM did. */
    static Class<?> defineOrFind(MethodHandles.Lookup jdk, String name) throws IOException, IllegalAccessException {
        try {
            return Class.forName(PACKAGE + name, false, null);
        } catch (ClassNotFoundException notYet) {
            try (InputStream in = ChannelSubclasses.class.getResourceAsStream(RESOURCES + name + ".class")) {
                if (in == null) {
                    throw new IOException("missing resource " + RESOURCES + name + ".class");
                }
                return jdk.defineClass(in.readAllBytes());
            }
        }
    }

    // The three hooks as plain classes rather than method references: a lambda would cost its bootstrap
    // (milliseconds in a cold JVM) at the first MPTCP channel. Each answer is RefusedOptions's; a bug there
    // must not replace the JDK's own exception, so a RuntimeException means "no answer".

    /**
     * Where the subclasses report a completed connection (connected or accepted fd, the listener's fd or
     * null): the engine's {@code Connections}, which this layer cannot name; set by the engine.
     */
    public static volatile BiConsumer<FileDescriptor, FileDescriptor> established;

    /** Forwards to {@link #established}; a failure there must not reach the application's connect or accept. */
    private static final class Established implements BiConsumer<FileDescriptor, FileDescriptor> {
        @Override
        public void accept(FileDescriptor fd, FileDescriptor listener) {
            BiConsumer<FileDescriptor, FileDescriptor> c = established;
            if (c != null) {
                try {
                    c.accept(fd, listener);
                } catch (RuntimeException e) {
                    // counting is ours; the connection is the application's
                }
            }
        }
    }

    /** Where the subclasses report a channel about to close (its fd still open); set by the engine. */
    public static volatile java.util.function.Consumer<FileDescriptor> closing;

    /** Forwards to {@link #closing}; a failure there must not reach the application's close. */
    private static final class Closing implements java.util.function.Consumer<FileDescriptor> {
        @Override
        public void accept(FileDescriptor fd) {
            java.util.function.Consumer<FileDescriptor> c = closing;
            if (c != null) {
                try {
                    c.accept(fd);
                } catch (RuntimeException e) {
                    // the record is ours; the close is the application's
                }
            }
        }
    }

    /** {failure, fd, option, value} of a refused set: true when RefusedOptions accepts it. */
    private static final class SetRefused implements Predicate<Object[]> {
        @Override
        public boolean test(Object[] call) {
            try {
                return JdkOptions.setFailed((Throwable) call[0], (FileDescriptor) call[1], (SocketOption<?>) call[2], call[3]);
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    /** (fd, option): the value recorded for an accepted refusal, or null. */
    private static final class Recorded implements BiFunction<FileDescriptor, SocketOption<?>, Object> {
        @Override
        public Object apply(FileDescriptor fd, SocketOption<?> option) {
            try {
                return JdkOptions.recorded(fd, option);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** {failure, fd, option} of a refused read: TCP's answer, or null. */
    private static final class ReadRefused implements Function<Object[], Object> {
        @Override
        public Object apply(Object[] call) {
            try {
                return JdkOptions.getFailed((Throwable) call[0], (FileDescriptor) call[1], (SocketOption<?>) call[2]);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
