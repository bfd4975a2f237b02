package org.mptcp4j.internal.engine;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.util.Set;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.JdkConstructors;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.jdk.JdkOptions;
import org.mptcp4j.internal.jdk.PlatformSocketCreation;
import org.mptcp4j.internal.options.RefusedOptions;
import org.mptcp4j.internal.swap.FdSwap;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * A {@link SocketImpl} that wraps the JDK's platform impl ({@code NioSocketImpl}) and decides at
 * connect time (client) or bind time (listener) whether the socket becomes MPTCP, with the full
 * policy including the destination. A client's platform impl is created over an MPTCP socket
 * ({@link PlatformSocketCreation}; on a JDK it does not fit, the JDK's own socket is replaced right
 * after creation, before anything is set on it), and goes back to TCP at connect only for a destination
 * the policy keeps on TCP. Every other call goes straight to the platform impl, so timeouts, streams,
 * options and virtual threads behave exactly as with a plain {@code Socket}.
 */
public final class MptcpSocketImpl extends SocketImpl {
    private final SocketImpl delegate;
    private final boolean server;
    private final Engine engine;
    /** How this JDK's platform impl is created over an MPTCP socket; null: it creates its own, replaced at once. */
    private final PlatformSocketCreation creation;

    MptcpSocketImpl(SocketImpl delegate, boolean server, Engine engine, PlatformSocketCreation creation) {
        this.delegate = delegate;
        this.server = server;
        this.engine = engine;
        this.creation = creation;
    }

    /** Handles to SocketImpl's protected members, opened through {@code --add-opens java.base/java.net}. */
    private static final class Handles {
        static final MethodHandle CREATE, CONNECT_HOST, CONNECT_ADDR, CONNECT_SA, BIND, LISTEN, ACCEPT,
                IN, OUT, AVAILABLE, CLOSE, SHUT_IN, SHUT_OUT, URGENT, SEND_URGENT, SET_OPT, GET_OPT, OPTS, PREFS;
        static final VarHandle FD, ADDRESS, PORT, LOCALPORT;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(SocketImpl.class, MethodHandles.lookup());
                Class<?> c = SocketImpl.class;
                CREATE = l.findVirtual(c, "create", MethodType.methodType(void.class, boolean.class));
                CONNECT_HOST = l.findVirtual(c, "connect", MethodType.methodType(void.class, String.class, int.class));
                CONNECT_ADDR = l.findVirtual(c, "connect", MethodType.methodType(void.class, InetAddress.class, int.class));
                CONNECT_SA = l.findVirtual(c, "connect", MethodType.methodType(void.class, SocketAddress.class, int.class));
                BIND = l.findVirtual(c, "bind", MethodType.methodType(void.class, InetAddress.class, int.class));
                LISTEN = l.findVirtual(c, "listen", MethodType.methodType(void.class, int.class));
                ACCEPT = l.findVirtual(c, "accept", MethodType.methodType(void.class, SocketImpl.class));
                IN = l.findVirtual(c, "getInputStream", MethodType.methodType(InputStream.class));
                OUT = l.findVirtual(c, "getOutputStream", MethodType.methodType(OutputStream.class));
                AVAILABLE = l.findVirtual(c, "available", MethodType.methodType(int.class));
                CLOSE = l.findVirtual(c, "close", MethodType.methodType(void.class));
                SHUT_IN = l.findVirtual(c, "shutdownInput", MethodType.methodType(void.class));
                SHUT_OUT = l.findVirtual(c, "shutdownOutput", MethodType.methodType(void.class));
                URGENT = l.findVirtual(c, "supportsUrgentData", MethodType.methodType(boolean.class));
                SEND_URGENT = l.findVirtual(c, "sendUrgentData", MethodType.methodType(void.class, int.class));
                SET_OPT = l.findVirtual(c, "setOption", MethodType.methodType(void.class, SocketOption.class, Object.class));
                GET_OPT = l.findVirtual(c, "getOption", MethodType.methodType(Object.class, SocketOption.class));
                OPTS = l.findVirtual(c, "supportedOptions", MethodType.methodType(Set.class));
                PREFS = l.findVirtual(c, "setPerformancePreferences", MethodType.methodType(void.class, int.class, int.class, int.class));
                FD = l.findVarHandle(c, "fd", FileDescriptor.class);
                ADDRESS = l.findVarHandle(c, "address", InetAddress.class);
                PORT = l.findVarHandle(c, "port", int.class);
                LOCALPORT = l.findVarHandle(c, "localport", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** Null when the platform impl and SocketImpl's members are reachable; otherwise the reason (naming the flags). */
    public static String accessProblem() {
        try {
            MethodHandles.privateLookupIn(SocketImpl.class, MethodHandles.lookup());
            JdkConstructors.platformSocketImpl(false);
            return null;
        } catch (IllegalAccessException e) {
            return "cannot reach java.net.SocketImpl: the JDK internals are not open to mptcp4j; add "
                    + JdkInternals.FLAGS + " to the java command";
        } catch (InternalsUnavailableException | RuntimeException e) {
            return e.getMessage();
        }
    }

    SocketImpl delegate() {
        return delegate;
    }

    /** Copies fd, addresses and ports from the platform impl, where java.net.Socket reads them. */
    private void sync() {
        Handles.FD.set(this, Handles.FD.get(delegate));
        Handles.ADDRESS.set(this, Handles.ADDRESS.get(delegate));
        Handles.PORT.set(this, (int) Handles.PORT.get(delegate));
        Handles.LOCALPORT.set(this, (int) Handles.LOCALPORT.get(delegate));
    }

    /** Whether {@link #create} put an MPTCP socket behind the platform impl's fd, not yet decided for a destination. */
    private boolean madeMptcp;

    @Override
    protected void create(boolean stream) throws IOException {
        if (stream && !server && createdOverMptcp()) {
            madeMptcp = true;
            sync();
            return;
        }
        try {
            Handles.CREATE.invokeExact(delegate, stream);
        } catch (Throwable t) {
            throw rethrown(t);
        }
        if (stream && !server && creation == null) {
            madeMptcp = replacedByMptcp(); // this JDK cannot be given a socket: its own, replaced at once
        }
        sync();
    }

    /** Creates the platform impl over an MPTCP socket (no JDK socket at all); false: the JDK creates its own. */
    private boolean createdOverMptcp() throws IOException {
        if (creation == null) {
            return false;
        }
        int fd = engine.mptcpSocket(false, creation.ipv6(), false);
        if (fd < 0) {
            return false; // policy or kernel says no: the JDK's socket, which connect decides and explains
        }
        try {
            creation.create(delegate, fd);
        } catch (IOException | RuntimeException | Error e) {
            NativeSockets.closeQuietly(fd);
            throw e; // "Already created", as the JDK's create
        }
        engine.fdCreatedMptcp(fd, false);
        return true;
    }

    /** The family the JDK creates its stream sockets in ({@code Net.isIPv6Available}, fixed for the JVM's life), 0 until read. */
    private static volatile int jdkDomain;

    /** Puts an MPTCP socket behind the fd the platform impl just created; false leaves the JDK's, which connect decides. */
    private boolean replacedByMptcp() {
        try {
            int fd = JdkInternals.fdVal((FileDescriptor) Handles.FD.get(delegate));
            int domain = jdkDomain;
            if (domain == 0) {
                jdkDomain = domain = NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_DOMAIN);
            }
            int mptcp = engine.mptcpSocket(false, domain == Linux.AF_INET6, false);
            if (mptcp < 0) {
                return false;
            }
            FdSwap.installFresh(mptcp, fd);
            engine.fdCreatedMptcp(fd, false);
            return true;
        } catch (InternalsUnavailableException | ErrnoException e) {
            return false; // the JDK's socket as it made it; connect meets the same problem and reports it
        }
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        if (address instanceof InetSocketAddress && !((InetSocketAddress) address).isUnresolved()) {
            if (madeMptcp) {
                decideMadeMptcp((InetSocketAddress) address);
            } else if ((int) Handles.LOCALPORT.get(delegate) == 0) {
                decide(true, (InetSocketAddress) address);
            }
        } // unresolved: the platform impl throws UnknownHostException
        try {
            Handles.CONNECT_SA.invokeExact(delegate, address, timeout);
        } catch (Throwable t) {
            throw rethrown(t);
        } finally {
            sync();
        }
        established(delegate, Negotiation.Origin.CLIENT);
    }

    /** The destination of a client created MPTCP: TCP again (binding and options carried) if the policy keeps it there. */
    private void decideMadeMptcp(InetSocketAddress destination) throws IOException {
        madeMptcp = false;
        FdSwap.Carry carry = carry();
        try {
            JdkInternals.handle(delegate).locked(fd -> engine.fdBeforeConnect(fd, destination, carry, true));
        } catch (InternalsUnavailableException e) {
            engine.internalsUnavailable(e); // it stays MPTCP, as created
        }
    }

    /** Reports a completed connection of {@code impl} to {@link Connections}. */
    private static void established(SocketImpl impl, Negotiation.Origin origin) {
        try {
            Connections.established(JdkInternals.handle(impl).fd(), origin);
        } catch (InternalsUnavailableException e) {
            // no fd to look at: not counted
        }
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        if (!madeMptcp) {
            // a listener is decided here; a client that binds first is decided by mode only (one created MPTCP: at connect)
            decide(false, new InetSocketAddress(host, port));
        }
        try {
            Handles.BIND.invokeExact(delegate, host, port);
        } catch (Throwable t) {
            throw rethrown(t);
        }
        sync();
    }

    /** What a swap of this socket carries: the refused values are recorded under the FileDescriptor, where getOption looks; nothing set: only the binding. */
    private FdSwap.Carry carry() {
        FdSwap.Carry carry = FdSwap.Carry.options(Handles.FD.get(delegate));
        return configured ? carry : carry.withoutOptions();
    }

    private void decide(boolean connecting, InetSocketAddress address) throws IOException {
        if ((FileDescriptor) Handles.FD.get(delegate) == null) {
            return; // not created (or closed): the platform impl reports that itself
        }
        try {
            org.mptcp4j.internal.jdk.SocketHandle handle = JdkInternals.handle(delegate);
            FdSwap.Carry carry = carry();
            if (server) {
                engine.beforeBind(handle, address, carry);
            } else if (connecting) {
                engine.beforeConnect(handle, address, carry);
            } else {
                engine.beforeConnectUnknown(handle, carry);
            }
        } catch (InternalsUnavailableException e) {
            engine.internalsUnavailable(e);
        }
    }

    @Override
    protected void listen(int backlog) throws IOException {
        try {
            Handles.LISTEN.invokeExact(delegate, backlog);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        MptcpSocketImpl target = (MptcpSocketImpl) s;
        try {
            Handles.ACCEPT.invokeExact(delegate, target.delegate);
        } catch (Throwable t) {
            throw rethrown(t);
        }
        target.sync();
        try {
            Connections.accepted(JdkInternals.handle(target.delegate).fd(), JdkInternals.handle(delegate).fd());
        } catch (InternalsUnavailableException e) {
            // no fd to look at: not counted
        }
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        try {
            return (InputStream) Handles.IN.invokeExact(delegate);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        try {
            return (OutputStream) Handles.OUT.invokeExact(delegate);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    @Override
    protected int available() throws IOException {
        try {
            return (int) Handles.AVAILABLE.invokeExact(delegate);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    @Override
    protected void close() throws IOException {
        if ((FileDescriptor) Handles.FD.get(delegate) != null) {
            try {
                Connections.closing(JdkInternals.handle(delegate).fd()); // before the fd goes: how the connection ended
            } catch (InternalsUnavailableException e) {
                // no fd to look at: no record
            }
        }
        try {
            Handles.CLOSE.invokeExact(delegate);
        } catch (Throwable t) {
            throw rethrown(t);
        }
        Handles.FD.set(this, (FileDescriptor) null);
    }

    @Override
    protected void shutdownInput() throws IOException {
        try {
            Handles.SHUT_IN.invokeExact(delegate);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    @Override
    protected void shutdownOutput() throws IOException {
        try {
            Handles.SHUT_OUT.invokeExact(delegate);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    @Override
    protected boolean supportsUrgentData() {
        try {
            return (boolean) Handles.URGENT.invokeExact(delegate);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        try {
            Handles.SEND_URGENT.invokeExact(delegate, data);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    /** Whether an option was set since the socket was created: every one passes here, so none means nothing to carry but the binding. */
    private boolean configured;

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        configured = true;
        if (engine.policy().strict()) {
            platformSetOption(name, value);
            return;
        }
        JdkOptions.set(() -> {
            platformSetOption(name, value);
            return null;
        }, (FileDescriptor) Handles.FD.get(delegate), name, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        if (engine.policy().strict()) {
            return (T) platformGetOption(name);
        }
        return JdkOptions.get(() -> (T) platformGetOption(name), (FileDescriptor) Handles.FD.get(delegate), name);
    }

    private void platformSetOption(SocketOption<?> name, Object value) throws IOException {
        try {
            Handles.SET_OPT.invokeExact(delegate, name, value);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    private Object platformGetOption(SocketOption<?> name) throws IOException {
        try {
            return (Object) Handles.GET_OPT.invokeExact(delegate, name);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Set<SocketOption<?>> supportedOptions() {
        try {
            return (Set<SocketOption<?>>) Handles.OPTS.invokeExact(delegate);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            return Set.of();
        }
    }

    @Override
    protected void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        try {
            Handles.PREFS.invokeExact(delegate, connectionTime, latency, bandwidth);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable ignored) {
            // performance preferences are hints; the platform impl ignores them
        }
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        configured = true;
        SocketOption<?> option = LegacyOptions.of(optID);
        if (option == null || engine.policy().strict()) {
            delegate.setOption(optID, value);
            return;
        }
        legacy(() -> {
            JdkOptions.set(() -> {
                delegate.setOption(optID, value);
                return null;
            }, (FileDescriptor) Handles.FD.get(delegate), option, value);
            return null;
        });
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        SocketOption<?> option = LegacyOptions.of(optID);
        if (option == null || engine.policy().strict()) {
            return delegate.getOption(optID);
        }
        // a recorded value keeps the shape it was set in, which is the legacy one (SO_LINGER as Integer, the rest boxed)
        return legacy(() -> JdkOptions.get(() -> delegate.getOption(optID), (FileDescriptor) Handles.FD.get(delegate), option));
    }

    /** The int-id option calls may only throw SocketException, which is all the calls inside them throw. */
    private static <T> T legacy(JdkOptions.KernelCall<T> call) throws SocketException {
        try {
            return call.call();
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            SocketException wrapped = new SocketException(e.getMessage()); // (String, Throwable) is JDK 19+
            wrapped.initCause(e);
            throw wrapped;
        }
    }

    /** The legacy {@code SocketOptions} ids that {@link RefusedOptions} has answers for, as named options. */
    private static final class LegacyOptions {
        static final SocketOption<Boolean> SO_OOBINLINE = new SocketOption<>() {
            @Override
            public String name() {
                return "SO_OOBINLINE";
            }

            @Override
            public Class<Boolean> type() {
                return Boolean.class;
            }
        };

        static SocketOption<?> of(int id) {
            switch (id) {
                case java.net.SocketOptions.SO_OOBINLINE: return SO_OOBINLINE;
                case java.net.SocketOptions.SO_REUSEADDR: return java.net.StandardSocketOptions.SO_REUSEADDR;
                case java.net.SocketOptions.SO_REUSEPORT: return java.net.StandardSocketOptions.SO_REUSEPORT;
                case java.net.SocketOptions.IP_TOS: return java.net.StandardSocketOptions.IP_TOS;
                default: return null;
            }
        }
    }

    /** What a call through a handle threw, as the platform impl's method would have thrown it (invokeExact: no boxing, no array). */
    private static IOException rethrown(Throwable t) {
        if (t instanceof IOException) {
            return (IOException) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IOException(t);
    }

    /** New platform impls wrapped in this class. */
    public static SocketImpl newImpl(boolean server, Engine engine) throws InternalsUnavailableException {
        return new MptcpSocketImpl(JdkConstructors.platformSocketImpl(server), server, engine, server ? null : PlatformSocketCreation.get());
    }
}
