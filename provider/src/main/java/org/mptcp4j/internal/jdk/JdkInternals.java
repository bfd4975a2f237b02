package org.mptcp4j.internal.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.mptcp4j.internal.sys.FileDescriptors;
import org.mptcp4j.internal.sys.ModuleAccess;

/**
 * Reaches into the JDK's socket classes for the file descriptor and the locks guarding it.
 * Fields are matched by name and type, not by exact class layout, so JDK 17 through 25 work; an
 * unknown shape gives a clear {@link InternalsUnavailableException} instead of a crash.
 */
public final class JdkInternals {
    private JdkInternals() {}

    private static final String WHO = moduleName();

    /** The exact command-line flags that open what mptcp4j needs, for this module. */
    public static final String FLAGS = "--add-opens java.base/sun.nio.ch=" + WHO
            + " --add-opens java.base/java.net=" + WHO;

    private static String moduleName() {
        Module m = JdkInternals.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }

    /** Per JDK class: how to get its fd and locks, or why not. */
    private static final ClassValue<Object> SHAPES = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return Shape.of(type);
            } catch (InternalsUnavailableException e) {
                return e;
            }
        }
    };

    /** The fd and locks of a channel created by the JDK's default provider (SocketChannelImpl etc.). */
    public static SocketHandle handle(NetworkChannel channel) throws InternalsUnavailableException {
        if (channel instanceof AsynchronousChannels.Wrapper) {
            channel = ((AsynchronousChannels.Wrapper) channel).unwrap();
        }
        return shape(channel.getClass()).handle(channel);
    }

    /** The {@link FileDescriptor} object of a JDK channel (its field {@code fd}): the key {@link RefusedOptions} records under. */
    public static FileDescriptor fileDescriptor(NetworkChannel channel) throws InternalsUnavailableException {
        Object h = FD_FIELDS.get(channel.getClass());
        if (h instanceof InternalsUnavailableException) {
            InternalsUnavailableException e = (InternalsUnavailableException) h;
            throw new InternalsUnavailableException(e.getMessage(), e.notOpen(), e);
        }
        return (FileDescriptor) ((VarHandle) h).get(channel);
    }

    private static final ClassValue<Object> FD_FIELDS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                VarHandle h = Shape.handle(Shape.find(type, "fd", FileDescriptor.class));
                return h != null ? h : unrecognized(type, "has no FileDescriptor fd field");
            } catch (InternalsUnavailableException e) {
                return e;
            }
        }
    };

    /** The fd and locks of a {@link Socket}; a socket without an fd yet gets one (as bind/connect would). */
    public static SocketHandle handle(Socket socket) throws InternalsUnavailableException {
        if (socket.getChannel() != null) {
            return handle(socket.getChannel());
        }
        return handleOfImpl(SocketAccess.impl(socket));
    }

    /** The fd and locks of a {@link ServerSocket}; creates its fd if it has none yet. */
    public static SocketHandle handle(ServerSocket socket) throws InternalsUnavailableException {
        if (socket.getChannel() != null) {
            return handle(socket.getChannel());
        }
        return handleOfImpl(SocketAccess.impl(socket));
    }

    /**
     * The lock {@code AbstractSelectableChannel} holds while it registers a channel with a Selector (its
     * {@code regLock}), or null when this JDK has none by that name and type or it is not open to
     * mptcp4j. Held around a check of the channel's registrations and a swap, no registration can slip in.
     */
    public static Object registrationLock(AbstractSelectableChannel channel) {
        Object h = SELECTOR_FIELDS.get(AbstractSelectableChannel.class);
        return h instanceof VarHandle[] ? ((VarHandle[]) h)[0].get(channel) : null;
    }

    /**
     * Where a channel is registered with the JDK's epoll Selector: the selector's lock around its
     * epoll_ctl calls ({@code updateLock}), its epoll fd, and the events it last gave the kernel for this
     * channel ({@code SelectionKeyImpl.registeredEvents}; 0: nothing in the kernel yet).
     */
    public record SelectorRegistration(Object updateLock, int epfd, java.nio.channels.SelectionKey key) {
        /** Read under {@link #updateLock()}: the selector changes it there. */
        public int registeredEvents() {
            Object h = SELECTOR_FIELDS.get(key.getClass());
            return h instanceof VarHandle[] ? (int) ((VarHandle[]) h)[0].get(key) : -1;
        }
    }

    /**
     * The Selector registrations of {@code channel}; throws when one is with a Selector whose internals
     * mptcp4j does not know (another provider's), or when these JDK internals are not reachable.
     */
    public static List<SelectorRegistration> selectorRegistrations(AbstractSelectableChannel channel) throws InternalsUnavailableException {
        VarHandle[] ch = selectorFields(AbstractSelectableChannel.class);
        List<SelectorRegistration> out = new ArrayList<>(1);
        java.nio.channels.SelectionKey[] keys;
        synchronized (ch[1].get(channel)) { // keyLock
            keys = (java.nio.channels.SelectionKey[]) ch[2].get(channel);
            keys = keys == null ? new java.nio.channels.SelectionKey[0] : keys.clone();
        }
        for (java.nio.channels.SelectionKey k : keys) {
            if (k == null) {
                continue;
            }
            VarHandle[] sel = selectorFields(k.selector().getClass());
            selectorFields(k.getClass());
            out.add(new SelectorRegistration(sel[0].get(k.selector()), (int) sel[1].get(k.selector()), k));
        }
        return out;
    }

    private static VarHandle[] selectorFields(Class<?> type) throws InternalsUnavailableException {
        Object h = SELECTOR_FIELDS.get(type);
        if (h instanceof InternalsUnavailableException) {
            InternalsUnavailableException e = (InternalsUnavailableException) h;
            throw new InternalsUnavailableException(e.getMessage(), e.notOpen(), e);
        }
        return (VarHandle[]) h;
    }

    /** Per class: the fields read above (channel: regLock, keyLock, keys; selector: updateLock, epfd; key: registeredEvents). */
    private static final ClassValue<Object> SELECTOR_FIELDS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                MethodHandles.Lookup l = privateLookup(type);
                if (type == AbstractSelectableChannel.class) {
                    return new VarHandle[] {l.findVarHandle(type, "regLock", Object.class), l.findVarHandle(type, "keyLock", Object.class),
                        l.findVarHandle(type, "keys", java.nio.channels.SelectionKey[].class)};
                }
                if (type.getName().equals("sun.nio.ch.EPollSelectorImpl")) {
                    return new VarHandle[] {l.findVarHandle(type, "updateLock", Object.class), l.findVarHandle(type, "epfd", int.class)};
                }
                if (type.getName().equals("sun.nio.ch.SelectionKeyImpl")) {
                    return new VarHandle[] {l.findVarHandle(type, "registeredEvents", int.class)};
                }
                return unrecognized(type, "is not the JDK's epoll Selector or its key");
            } catch (IllegalAccessException e) {
                return notOpen(type, e);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return unrecognized(type, "has no field of the expected name and type (" + e.getMessage() + ")");
            }
        }
    };

    /** The int behind a JDK {@link FileDescriptor} ({@code IOUtil.fdVal}); -1 before the JDK set one (closing does not reset it). */
    public static int fdVal(FileDescriptor fd) throws InternalsUnavailableException {
        return FdValue.of(fd);
    }

    /**
     * Checks now that the core internals (the JDK's SocketChannelImpl) are reachable, without
     * opening a channel (which could recurse into an installed provider).
     */
    public static void checkCore() throws InternalsUnavailableException {
        // the fields by reflection, not their VarHandles: a program that never opens a SocketChannel makes none
        Shape.fields(JdkConstructors.classFor("sun.nio.ch.SocketChannelImpl"), true);
        FdValue.of(new FileDescriptor()); // without the JNI library, IOUtil.fdVal: also needs sun.nio.ch
    }

    /** The fd and locks of a platform {@link SocketImpl} (NioSocketImpl). */
    public static SocketHandle handle(SocketImpl impl) throws InternalsUnavailableException {
        return handleOfImpl(impl);
    }

    private static SocketHandle handleOfImpl(SocketImpl impl) throws InternalsUnavailableException {
        return shape(impl.getClass()).handle(impl);
    }

    private static Shape shape(Class<?> type) throws InternalsUnavailableException {
        Object s = SHAPES.get(type);
        if (s instanceof InternalsUnavailableException) {
            InternalsUnavailableException e = (InternalsUnavailableException) s;
            throw new InternalsUnavailableException(e.getMessage(), e.notOpen(), e);
        }
        return (Shape) s;
    }

    /**
     * A lookup with private access to {@code type}, for every reflective access mptcp4j makes into the JDK:
     * the packages an agent opens when first needed are opened before it ({@link ModuleAccess#beforeReflection}).
     */
    static MethodHandles.Lookup privateLookup(Class<?> type) throws IllegalAccessException {
        ModuleAccess.beforeReflection();
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    }

    static InternalsUnavailableException notOpen(Class<?> type, Throwable cause) {
        return new InternalsUnavailableException("cannot reach " + type.getName()
                + ": the JDK internals are not open to mptcp4j; add " + FLAGS + " to the java command", true, cause);
    }

    static InternalsUnavailableException unrecognized(Class<?> type, String what) {
        return new InternalsUnavailableException("unrecognised JDK internals: " + type.getName() + " " + what
                + " (java.version " + System.getProperty("java.version") + "); mptcp4j supports the JDK 17-25 layout", false, null);
    }

    /** How to read fd and locks out of one JDK class. */
    private static final class Shape {
        private final VarHandle fdVal;          // int fdVal (channels)
        private final VarHandle fileDescriptor; // FileDescriptor fd (SocketImpl)
        private final VarHandle[] locks;
        private final VarHandle stateLock;

        private Shape(VarHandle fdVal, VarHandle fileDescriptor, VarHandle[] locks, VarHandle stateLock) {
            this.fdVal = fdVal;
            this.fileDescriptor = fileDescriptor;
            this.locks = locks;
            this.stateLock = stateLock;
        }

        static Shape of(Class<?> type) throws InternalsUnavailableException {
            Field[] f = fields(type, false);
            VarHandle[] locks = new VarHandle[f.length - 3];
            for (int i = 0; i < locks.length; i++) {
                locks[i] = handle(f[3 + i]);
            }
            return new Shape(handle(f[0]), handle(f[1]), locks, handle(f[2]));
        }

        /**
         * The fields this class is read through: fdVal, fd (one of the two), stateLock, then its I/O locks;
         * throws when one is missing or of another type, and ({@code checkOpen}) when its package is not open to mptcp4j.
         * UnixAsynchronous*ChannelImpl: fdVal and the state lock only. Only freshly opened asynchronous channels
         * are upgraded (by the provider, before anyone else sees them), so no I/O lock is needed.
         */
        static Field[] fields(Class<?> type, boolean checkOpen) throws InternalsUnavailableException {
            boolean asynchronous = AsynchronousSocketChannel.class.isAssignableFrom(type)
                    || AsynchronousServerSocketChannel.class.isAssignableFrom(type);
            List<Field> found = new ArrayList<>(6);
            Field fdVal = find(type, "fdVal", int.class);
            Field fd = fdVal == null && !asynchronous ? find(type, "fd", FileDescriptor.class) : null;
            if (fdVal == null && fd == null) {
                throw unrecognized(type, asynchronous ? "has no int fdVal field" : "has neither an int fdVal nor a FileDescriptor fd field");
            }
            Field state = find(type, "stateLock", Object.class);
            if (state == null) {
                throw unrecognized(type, "has no stateLock field");
            }
            found.add(fdVal);
            found.add(fd);
            found.add(state);
            if (!asynchronous) {
                for (String name : new String[] {"readLock", "writeLock", "acceptLock"}) {
                    Field lock = find(type, name, ReentrantLock.class);
                    if (lock != null) {
                        found.add(lock);
                    }
                }
                if (found.size() == 3) {
                    throw unrecognized(type, "has no readLock/writeLock/acceptLock field");
                }
            }
            if (checkOpen) {
                for (Field f : found) {
                    if (f != null) {
                        lookup(f.getDeclaringClass());
                    }
                }
            }
            return found.toArray(new Field[0]);
        }

        SocketHandle handle(Object target) throws InternalsUnavailableException {
            int fd;
            if (fdVal != null) {
                fd = (int) fdVal.get(target);
            } else {
                FileDescriptor d = (FileDescriptor) fileDescriptor.get(target);
                if (d == null) {
                    throw new InternalsUnavailableException("the socket has no file descriptor (closed or not created)", false, null);
                }
                fd = FdValue.of(d);
            }
            ReentrantLock[] l = new ReentrantLock[locks.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (ReentrantLock) locks[i].get(target);
            }
            return new SocketHandle(fd, l, stateLock.get(target));
        }

        /** A field by name and type in {@code type} or a superclass; null when absent. */
        private static Field find(Class<?> type, String name, Class<?> fieldType) throws InternalsUnavailableException {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                Field f;
                try {
                    f = c.getDeclaredField(name);
                } catch (NoSuchFieldException e) {
                    continue;
                }
                if (f.getType() != fieldType) {
                    throw unrecognized(c, "field " + name + " is " + f.getType().getName() + ", expected " + fieldType.getName());
                }
                return f;
            }
            return null;
        }

        /** The VarHandle of {@code f}, or null for no field. */
        private static VarHandle handle(Field f) throws InternalsUnavailableException {
            if (f == null) {
                return null;
            }
            try {
                return lookup(f.getDeclaringClass()).findVarHandle(f.getDeclaringClass(), f.getName(), f.getType());
            } catch (IllegalAccessException e) {
                throw notOpen(f.getDeclaringClass(), e);
            } catch (NoSuchFieldException e) {
                throw unrecognized(f.getDeclaringClass(), "field " + f.getName() + " vanished");
            }
        }

        /** A lookup with private access to {@code c}: where its package is open to mptcp4j. */
        private static MethodHandles.Lookup lookup(Class<?> c) throws InternalsUnavailableException {
            try {
                return privateLookup(c);
            } catch (IllegalAccessException e) {
                throw notOpen(c, e);
            }
        }
    }

    /**
     * The int behind a FileDescriptor: read by mptcp4j's JNI library where it is loaded, else with
     * {@code sun.nio.ch.IOUtil.fdVal(FileDescriptor)}, which needs sun.nio.ch open but not java.io.
     */
    static final class FdValue {
        private FdValue() {}

        static int of(FileDescriptor fd) throws InternalsUnavailableException {
            if (FileDescriptors.READABLE) {
                try {
                    return FileDescriptors.fdOf(fd);
                } catch (NoSuchFieldError e) {
                    throw unrecognized(FileDescriptor.class, "has no int fd field");
                }
            }
            if (IoUtil.FD_VAL instanceof InternalsUnavailableException) {
                throw (InternalsUnavailableException) IoUtil.FD_VAL;
            }
            try {
                return (int) ((MethodHandle) IoUtil.FD_VAL).invokeExact(fd);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** IOUtil.fdVal's handle, made at first use without the JNI library. */
        private static final class IoUtil {
            static final Object FD_VAL = lookup();

            private static Object lookup() {
                Class<?> ioUtil;
                try {
                    ioUtil = Class.forName("sun.nio.ch.IOUtil");
                } catch (ClassNotFoundException e) {
                    return unrecognized(FileDescriptor.class, "has no sun.nio.ch.IOUtil to read it");
                }
                try {
                    return privateLookup(ioUtil).findStatic(ioUtil, "fdVal", MethodType.methodType(int.class, FileDescriptor.class));
                } catch (IllegalAccessException e) {
                    return notOpen(ioUtil, e);
                } catch (NoSuchMethodException e) {
                    return unrecognized(ioUtil, "has no static int fdVal(FileDescriptor)");
                }
            }
        }
    }
}
