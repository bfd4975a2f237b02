package org.mptcp4j.sys;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Typed wrappers around the libc socket calls. Every failure becomes an {@link ErrnoException}
 * naming the call, its arguments and the errno. The native library is bound on first use.
 */
public final class NativeSockets {
    private NativeSockets() {}

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private static LibC libc() {
        return Holder.LIBC;
    }

    private static int errno() {
        return LastError.getLastError(Holder.RUNTIME);
    }

    /** Loads the native binding now; throws a clear {@link LinkageError} if it cannot be loaded. */
    public static void load() {
        libc();
    }

    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        int fd = libc().socket(domain, type, protocol);
        if (fd < 0) {
            throw new ErrnoException("socket(" + family(domain) + ", SOCK_STREAM, " + protocol(protocol) + ")", errno());
        }
        return fd;
    }

    public static void dup3(int oldFd, int newFd, int flags) throws ErrnoException {
        int rc;
        do {
            rc = libc().dup3(oldFd, newFd, flags);
        } while (rc < 0 && errno() == Errno.EBUSY.code()); // EBUSY: racing open() in another thread, retry
        if (rc < 0) {
            throw new ErrnoException("dup3(" + oldFd + ", " + newFd + ")", errno());
        }
    }

    public static void close(int fd) throws ErrnoException {
        if (libc().close(fd) < 0) {
            int e = errno();
            if (e != Errno.EINTR.code()) { // on Linux the fd is released even on EINTR
                throw new ErrnoException("close(" + fd + ")", e);
            }
        }
    }

    /** Closes without throwing: for clean-up paths where an earlier exception is already in flight. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            libc().close(fd);
        }
    }

    public static int fcntl(int fd, int cmd, int arg) throws ErrnoException {
        int rc = libc().fcntl(fd, cmd, arg);
        if (rc < 0) {
            throw new ErrnoException("fcntl(" + fd + ", " + cmd + ")", errno());
        }
        return rc;
    }

    public static int getIntOption(int fd, int level, int name) throws ErrnoException {
        int[] value = new int[1];
        int[] length = {4};
        if (libc().getsockopt(fd, level, name, value, length) < 0) {
            throw new ErrnoException("getsockopt(" + fd + ", " + option(level, name) + ")", errno());
        }
        return value[0];
    }

    /** getsockopt of {@code count} ints (SO_LINGER is two). */
    public static int[] getIntsOption(int fd, int level, int name, int count) throws ErrnoException {
        int[] value = new int[count];
        int[] length = {4 * count};
        if (libc().getsockopt(fd, level, name, value, length) < 0) {
            throw new ErrnoException("getsockopt(" + fd + ", " + option(level, name) + ")", errno());
        }
        return value;
    }

    /** setsockopt of an int array. */
    public static void setIntsOption(int fd, int level, int name, int[] value) throws ErrnoException {
        if (libc().setsockopt(fd, level, name, value, 4 * value.length) < 0) {
            throw new ErrnoException("setsockopt(" + fd + ", " + option(level, name) + ", " + java.util.Arrays.toString(value) + ")", errno());
        }
    }

    public static void setIntOption(int fd, int level, int name, int value) throws ErrnoException {
        if (libc().setsockopt(fd, level, name, new int[] {value}, 4) < 0) {
            throw new ErrnoException("setsockopt(" + fd + ", " + option(level, name) + ", " + value + ")", errno());
        }
    }

    /**
     * getsockopt into native memory of {@code capacity} bytes prepared by {@code prepare}; returns
     * the bytes the kernel wrote (its returned optlen).
     */
    public static byte[] getBytesOption(int fd, int level, int name, int capacity, BufferPreparer prepare)
            throws ErrnoException {
        Pointer buf = Memory.allocateDirect(Holder.RUNTIME, capacity, true);
        prepare.prepare(new NativeBuffer(buf, capacity));
        int[] length = {capacity};
        if (libc().getsockopt(fd, level, name, buf, length) < 0) {
            throw new ErrnoException("getsockopt(" + fd + ", " + option(level, name) + ")", errno());
        }
        int n = Math.min(length[0], capacity);
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        return out;
    }

    /** Fills a getsockopt buffer before the call (for options whose input is a request structure). */
    @FunctionalInterface
    public interface BufferPreparer {
        void prepare(NativeBuffer buffer);

        BufferPreparer NONE = b -> { };
    }

    /** A zeroed native buffer handed to a {@link BufferPreparer}; can allocate further buffers whose addresses go into it. */
    public static final class NativeBuffer {
        private final Pointer pointer;
        private final int size;

        NativeBuffer(Pointer pointer, int size) {
            this.pointer = pointer;
            this.size = size;
        }

        public int size() {
            return size;
        }

        public void putInt(int offset, int value) {
            pointer.putInt(offset, value);
        }

        public void putLong(int offset, long value) {
            pointer.putLong(offset, value);
        }

        /** Allocates a zeroed native buffer that lives as long as this one is reachable. */
        public Pointer allocate(int bytes) {
            return Memory.allocateDirect(Holder.RUNTIME, bytes, true);
        }
    }

    static String family(int domain) {
        switch (domain) {
            case Linux.AF_INET: return "AF_INET";
            case Linux.AF_INET6: return "AF_INET6";
            default: return "family " + domain;
        }
    }

    static String protocol(int protocol) {
        switch (protocol) {
            case Linux.IPPROTO_MPTCP: return "IPPROTO_MPTCP";
            case Linux.IPPROTO_TCP: return "IPPROTO_TCP";
            case 0: return "0";
            default: return "protocol " + protocol;
        }
    }

    static String option(int level, int name) {
        if (level == Linux.SOL_SOCKET) {
            switch (name) {
                case Linux.SO_REUSEADDR: return "SOL_SOCKET, SO_REUSEADDR";
                case Linux.SO_TYPE: return "SOL_SOCKET, SO_TYPE";
                case Linux.SO_PROTOCOL: return "SOL_SOCKET, SO_PROTOCOL";
                case Linux.SO_DOMAIN: return "SOL_SOCKET, SO_DOMAIN";
                default: return "SOL_SOCKET, " + name;
            }
        }
        if (level == Linux.SOL_TCP) {
            switch (name) {
                case Linux.TCP_IS_MPTCP: return "SOL_TCP, TCP_IS_MPTCP";
                case Linux.TCP_INFO: return "SOL_TCP, TCP_INFO";
                default: return "SOL_TCP, " + name;
            }
        }
        if (level == Linux.IPPROTO_IPV6 && name == Linux.IPV6_V6ONLY) {
            return "IPPROTO_IPV6, IPV6_V6ONLY";
        }
        if (level == Linux.SOL_MPTCP) {
            switch (name) {
                case Linux.MPTCP_INFO: return "SOL_MPTCP, MPTCP_INFO";
                case Linux.MPTCP_FULL_INFO: return "SOL_MPTCP, MPTCP_FULL_INFO";
                default: return "SOL_MPTCP, " + name;
            }
        }
        return level + ", " + name;
    }
}
