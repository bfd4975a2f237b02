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
import org.mptcp4j.internal.options.RefusedOptions;
import org.mptcp4j.internal.swap.FdSwap;

/**
 * A {@link SocketImpl} that wraps the JDK's platform impl ({@code NioSocketImpl}) and decides at
 * connect time (client) or bind time (listener) whether the socket becomes MPTCP, with the full
 * policy including the destination. Every other call goes straight to the platform impl, so
 * timeouts, streams, options and virtual threads behave exactly as with a plain {@code Socket}.
 */
public final class MptcpSocketImpl extends SocketImpl {
    private final SocketImpl delegate;
    private final boolean server;
    private final Engine engine;

    MptcpSocketImpl(SocketImpl delegate, boolean server, Engine engine) {
        this.delegate = delegate;
        this.server = server;
        this.engine = engine;
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

    @Override
    protected void create(boolean stream) throws IOException {
        run(Handles.CREATE, stream);
        sync();
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
        if (address instanceof InetSocketAddress && !((InetSocketAddress) address).isUnresolved()
                && (int) Handles.LOCALPORT.get(delegate) == 0) {
            decide(true, (InetSocketAddress) address);
        }
        try {
            run(Handles.CONNECT_SA, address, timeout);
        } finally {
            sync();
        }
        established(delegate, Negotiation.Origin.CLIENT);
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
        // a listener is decided here; a client that binds first is decided by mode only
        decide(false, new InetSocketAddress(host, port));
        run(Handles.BIND, host, port);
        sync();
    }

    private void decide(boolean connecting, InetSocketAddress address) throws IOException {
        if ((FileDescriptor) Handles.FD.get(delegate) == null) {
            return; // not created (or closed): the platform impl reports that itself
        }
        try {
            org.mptcp4j.internal.jdk.SocketHandle handle = JdkInternals.handle(delegate);
            // the refused values are recorded under the FileDescriptor, where getOption looks; nothing set: only the binding
            FdSwap.Carry carry = FdSwap.Carry.options(Handles.FD.get(delegate));
            carry = configured ? carry : carry.withoutOptions();
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
        run(Handles.LISTEN, backlog);
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        MptcpSocketImpl target = (MptcpSocketImpl) s;
        run(Handles.ACCEPT, target.delegate);
        target.sync();
        try {
            Connections.accepted(JdkInternals.handle(target.delegate).fd(), JdkInternals.handle(delegate).fd());
        } catch (InternalsUnavailableException e) {
            // no fd to look at: not counted
        }
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        return (InputStream) call(Handles.IN);
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        return (OutputStream) call(Handles.OUT);
    }

    @Override
    protected int available() throws IOException {
        return (int) call(Handles.AVAILABLE);
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
        run(Handles.CLOSE);
        Handles.FD.set(this, (FileDescriptor) null);
    }

    @Override
    protected void shutdownInput() throws IOException {
        run(Handles.SHUT_IN);
    }

    @Override
    protected void shutdownOutput() throws IOException {
        run(Handles.SHUT_OUT);
    }

    @Override
    protected boolean supportsUrgentData() {
        try {
            return (boolean) call(Handles.URGENT);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        run(Handles.SEND_URGENT, data);
    }

    /** Whether an option was set since the socket was created: every one passes here, so none means nothing to carry but the binding. */
    private boolean configured;

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        configured = true;
        if (engine.policy().strict()) {
            run(Handles.SET_OPT, name, value);
            return;
        }
        JdkOptions.set(() -> call(Handles.SET_OPT, name, value), (FileDescriptor) Handles.FD.get(delegate), name, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        if (engine.policy().strict()) {
            return (T) call(Handles.GET_OPT, name);
        }
        return JdkOptions.get(() -> (T) call(Handles.GET_OPT, name), (FileDescriptor) Handles.FD.get(delegate), name);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Set<SocketOption<?>> supportedOptions() {
        try {
            return (Set<SocketOption<?>>) call(Handles.OPTS);
        } catch (IOException e) {
            return Set.of();
        }
    }

    @Override
    protected void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        try {
            run(Handles.PREFS, connectionTime, latency, bandwidth);
        } catch (IOException ignored) {
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

    private void run(MethodHandle h, Object... args) throws IOException {
        call(h, args);
    }

    private Object call(MethodHandle h, Object... args) throws IOException {
        Object[] all = new Object[args.length + 1];
        all[0] = delegate;
        System.arraycopy(args, 0, all, 1, args.length);
        try {
            return h.invokeWithArguments(all);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** New platform impls wrapped in this class. */
    public static SocketImpl newImpl(boolean server, Engine engine) throws InternalsUnavailableException {
        return new MptcpSocketImpl(JdkConstructors.platformSocketImpl(server), server, engine);
    }
}
