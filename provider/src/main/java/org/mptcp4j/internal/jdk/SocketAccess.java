package org.mptcp4j.internal.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;

/**
 * The {@link SocketImpl} behind a {@link Socket} or {@link ServerSocket}, created on demand through
 * the classes' own {@code getImpl()} (so the fd exists, as before bind or connect). Wrappers such as
 * the SOCKS impl are unwrapped to the platform impl they delegate to.
 */
final class SocketAccess {
    private SocketAccess() {}

    private static final Object SOCKET_GET_IMPL = getImpl(Socket.class);
    private static final Object SERVER_GET_IMPL = getImpl(ServerSocket.class);

    private static Object getImpl(Class<?> type) {
        try {
            return JdkInternals.privateLookup(type).findVirtual(type, "getImpl", MethodType.methodType(SocketImpl.class));
        } catch (IllegalAccessException e) {
            return JdkInternals.notOpen(type, e);
        } catch (NoSuchMethodException e) {
            return JdkInternals.unrecognized(type, "has no getImpl() method");
        }
    }

    static SocketImpl impl(Socket socket) throws InternalsUnavailableException {
        return unwrap(invoke(SOCKET_GET_IMPL, socket));
    }

    static SocketImpl impl(ServerSocket socket) throws InternalsUnavailableException {
        return unwrap(invoke(SERVER_GET_IMPL, socket));
    }

    private static SocketImpl invoke(Object handle, Object target) throws InternalsUnavailableException {
        if (handle instanceof InternalsUnavailableException) {
            InternalsUnavailableException e = (InternalsUnavailableException) handle;
            throw new InternalsUnavailableException(e.getMessage(), e.notOpen(), e);
        }
        try {
            return (SocketImpl) ((MethodHandle) handle).invoke(target);
        } catch (java.io.IOException e) {
            throw new InternalsUnavailableException("cannot create the socket's file descriptor: " + e.getMessage(), false, e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** SocksSocketImpl / HttpConnectSocketImpl delegate to the platform impl in a field named {@code delegate}. */
    private static SocketImpl unwrap(SocketImpl impl) throws InternalsUnavailableException {
        for (int depth = 0; depth < 4 && !impl.getClass().getName().equals("sun.nio.ch.NioSocketImpl"); depth++) {
            SocketImpl inner = delegate(impl);
            if (inner == null) {
                return impl;
            }
            impl = inner;
        }
        return impl;
    }

    private static SocketImpl delegate(SocketImpl impl) throws InternalsUnavailableException {
        for (Class<?> c = impl.getClass(); c != null && c != SocketImpl.class; c = c.getSuperclass()) {
            try {
                c.getDeclaredField("delegate");
            } catch (NoSuchFieldException e) {
                continue;
            }
            try {
                VarHandle h = JdkInternals.privateLookup(c).findVarHandle(c, "delegate", SocketImpl.class);
                return (SocketImpl) h.get(impl);
            } catch (IllegalAccessException e) {
                throw JdkInternals.notOpen(c, e);
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
        return null;
    }
}
