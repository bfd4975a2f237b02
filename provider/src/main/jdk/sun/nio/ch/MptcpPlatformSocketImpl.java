package sun.nio.ch;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.SocketImpl;
import jdk.internal.ref.CleanerFactory;

/**
 * mptcp4j internal. {@code NioSocketImpl.create(true)} over a stream socket mptcp4j made (an MPTCP one), for
 * the system-property path's SocketImpl: the JDK's own steps (state check under its lock, the fd, its
 * closer registered with the JDK's cleaner, unconnected), without the JDK's {@code Net.socket} call, so
 * no TCP socket is created only to be replaced. The members are matched by name and type; the two shapes
 * known (JDK 17: {@code closerFor(fd, stream)} and a {@code stream} field; JDK 25: {@code closerFor(fd)})
 * are both taken, any other fails this class's initialisation, and mptcp4j then keeps the JDK's create.
 * Compiled against java.base (CleanerFactory is not exported), shipped as bytes, defined at run time.
 */
final class MptcpPlatformSocketImpl {
    private MptcpPlatformSocketImpl() {}

    private static final VarHandle FD, STATE, CLEANER, STATE_LOCK, STREAM; // STREAM: null where the field is gone
    private static final MethodHandle CLOSER_FOR; // (FileDescriptor, boolean) Runnable on every shape
    private static final int ST_NEW, ST_UNCONNECTED;

    static {
        try {
            MethodHandles.Lookup nio = MethodHandles.privateLookupIn(NioSocketImpl.class, MethodHandles.lookup());
            FD = MethodHandles.privateLookupIn(SocketImpl.class, MethodHandles.lookup()).findVarHandle(SocketImpl.class, "fd", FileDescriptor.class);
            STATE = nio.findVarHandle(NioSocketImpl.class, "state", int.class);
            CLEANER = nio.findVarHandle(NioSocketImpl.class, "cleaner", java.lang.ref.Cleaner.Cleanable.class);
            STATE_LOCK = nio.findVarHandle(NioSocketImpl.class, "stateLock", Object.class);
            ST_NEW = (int) nio.findStaticVarHandle(NioSocketImpl.class, "ST_NEW", int.class).get();
            ST_UNCONNECTED = (int) nio.findStaticVarHandle(NioSocketImpl.class, "ST_UNCONNECTED", int.class).get();
            MethodHandle closer;
            VarHandle stream;
            try {
                closer = nio.findStatic(NioSocketImpl.class, "closerFor", MethodType.methodType(Runnable.class, FileDescriptor.class, boolean.class));
                stream = nio.findVarHandle(NioSocketImpl.class, "stream", boolean.class);
            } catch (NoSuchMethodException e) {
                closer = MethodHandles.dropArguments(
                        nio.findStatic(NioSocketImpl.class, "closerFor", MethodType.methodType(Runnable.class, FileDescriptor.class)), 1, boolean.class);
                stream = null;
            }
            CLOSER_FOR = closer;
            STREAM = stream;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The family the JDK's own {@code Net.socket} would have used: IPv6 (dual-stack) where available. */
    static boolean ipv6() {
        return Net.isIPv6Available();
    }

    /**
     * Makes {@code impl}, a new client NioSocketImpl, a created stream socket over {@code fd}. Throws as the
     * JDK's create does when it was created already; {@code fd} then stays the caller's to close.
     */
    static void create(SocketImpl impl, int fd) throws IOException {
        synchronized (STATE_LOCK.get(impl)) {
            if ((int) STATE.get(impl) != ST_NEW) {
                throw new IOException("Already created");
            }
            FileDescriptor fdObject = IOUtil.newFD(fd);
            Runnable closer;
            try {
                closer = (Runnable) CLOSER_FOR.invokeExact(fdObject, true);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException(t);
            }
            FD.set(impl, fdObject);
            if (STREAM != null) {
                STREAM.set(impl, true);
            }
            CLEANER.set(impl, CleanerFactory.cleaner().register(impl, closer));
            STATE.setVolatile(impl, ST_UNCONNECTED); // a volatile field: read without the lock elsewhere
        }
    }
}
