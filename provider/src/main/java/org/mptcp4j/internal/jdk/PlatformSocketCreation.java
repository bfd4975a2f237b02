package org.mptcp4j.internal.jdk;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketImpl;

/**
 * The JDK's platform SocketImpl created over a socket mptcp4j made, in place of the socket the JDK would
 * make: {@code sun.nio.ch.MptcpPlatformSocketImpl} ({@code src/main/jdk}), defined into java.base on first
 * use as the channel subclasses are. Fails soft: {@link #get()} is null on a JDK whose NioSocketImpl is
 * not a shape mptcp4j knows, and the caller lets the JDK create its own socket.
 */
public final class PlatformSocketCreation {
    private final MethodHandle create; // (SocketImpl, int fd) void
    private final boolean ipv6;

    private PlatformSocketCreation(MethodHandle create, boolean ipv6) {
        this.create = create;
        this.ipv6 = ipv6;
    }

    /** Defined on first use by the JVM's class initialisation (nothing here can call back into it). */
    private static final class Holder {
        static final Object STATE = define(); // PlatformSocketCreation, or the Throwable that explains its absence
    }

    /** Null when this JDK's platform SocketImpl is not one mptcp4j can create over its own socket. */
    public static PlatformSocketCreation get() {
        return Holder.STATE instanceof PlatformSocketCreation ? (PlatformSocketCreation) Holder.STATE : null;
    }

    /** Why {@link #get()} is null, or null when it is not. */
    public static String whyUnavailable() {
        return get() == null ? String.valueOf(Holder.STATE) : null;
    }

    private static Object define() {
        try {
            Class<?> anchor = JdkConstructors.classFor("sun.nio.ch.NioSocketImpl");
            MethodHandles.Lookup jdk = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
            Class<?> helper = ChannelSubclasses.defineOrFind(jdk, "MptcpPlatformSocketImpl");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(helper, MethodHandles.lookup());
            MethodHandle create = l.findStatic(helper, "create", MethodType.methodType(void.class, SocketImpl.class, int.class));
            boolean ipv6 = (boolean) l.findStatic(helper, "ipv6", MethodType.methodType(boolean.class)).invokeExact();
            return new PlatformSocketCreation(create, ipv6); // ipv6() ran the helper's initialiser: the shape is known
        } catch (Throwable t) { // not open, not this shape (ExceptionInInitializerError), resource missing
            return t;
        }
    }

    /** The family the JDK makes its stream sockets in: IPv6 (dual-stack) where available. */
    public boolean ipv6() {
        return ipv6;
    }

    /**
     * Makes {@code impl}, a new client platform SocketImpl, a created stream socket over {@code fd} (a fresh
     * stream socket set up as the JDK's {@code Net.socket} sets up its own). On failure {@code fd} is the caller's.
     */
    public void create(SocketImpl impl, int fd) throws IOException {
        try {
            create.invokeExact(impl, fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
