package org.mptcp4j.internal.sys;

/**
 * Typed wrappers around the libc socket calls. Every failure becomes an {@link ErrnoException}
 * naming the call, its arguments and the errno. The native library is bound on first use.
 */
public final class NativeSockets {
    private NativeSockets() {}

    private static int errno() {
        return LibC.errno();
    }

    /** Loads the native binding now; throws a clear {@link LinkageError} if it cannot be loaded. */
    public static void load() {
        LibC.errno();
    }

    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        int fd = LibC.socket(domain, type, protocol);
        if (fd < 0) {
            throw new ErrnoException("socket(" + family(domain) + ", " + type(type) + ", " + protocol(protocol) + ")", errno());
        }
        return fd;
    }

    public static void dup3(int oldFd, int newFd, int flags) throws ErrnoException {
        int rc;
        do {
            rc = LibC.dup3(oldFd, newFd, flags);
        } while (rc < 0 && errno() == Errno.EBUSY.code()); // EBUSY: racing open() in another thread, retry
        if (rc < 0) {
            throw new ErrnoException("dup3(" + oldFd + ", " + newFd + ")", errno());
        }
    }

    public static void close(int fd) throws ErrnoException {
        if (LibC.close(fd) < 0) {
            int e = errno();
            if (e != Errno.EINTR.code()) { // on Linux the fd is released even on EINTR
                throw new ErrnoException("close(" + fd + ")", e);
            }
        }
    }

    /** Closes without throwing: for clean-up paths where an earlier exception is already in flight. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }

    /** The raw {@code struct sockaddr} the socket is bound to (all zero port and address when unbound). */
    public static byte[] getsockname(int fd) throws ErrnoException {
        return name(fd, false);
    }

    /** The raw {@code struct sockaddr} of the peer. */
    public static byte[] getpeername(int fd) throws ErrnoException {
        return name(fd, true);
    }

    private static byte[] name(int fd, boolean peer) throws ErrnoException {
        try (NativeMemory m = new NativeMemory()) {
            long address = m.allocate(SOCKADDR_MAX);
            long length = m.allocate(4);
            m.putInt(length, SOCKADDR_MAX);
            if ((peer ? LibC.getpeername(fd, address, length) : LibC.getsockname(fd, address, length)) < 0) {
                throw new ErrnoException((peer ? "getpeername(" : "getsockname(") + fd + ")", errno());
            }
            return m.bytes(address, Math.min(m.getInt(length), SOCKADDR_MAX));
        }
    }

    /** SO_COOKIE: the kernel's 64-bit id of the socket behind {@code fd}, never reused while the namespace lives. */
    public static long cookie(int fd) throws ErrnoException {
        int[] halves = getIntsOption(fd, Linux.SOL_SOCKET, Linux.SO_COOKIE, 2);
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(halves[0]).putInt(halves[1]).getLong(0);
    }

    /** Binds to a raw {@code struct sockaddr} as {@link #getsockname} returns it. */
    public static void bind(int fd, byte[] sockaddr) throws ErrnoException {
        try (NativeMemory m = new NativeMemory()) {
            long address = m.allocate(sockaddr.length);
            m.putBytes(address, sockaddr);
            if (LibC.bind(fd, address, sockaddr.length) < 0) {
                throw new ErrnoException("bind(" + fd + ", " + Sockaddr.toString(sockaddr) + ")", errno());
            }
        }
    }

    /** {@code epoll_ctl(epfd, op, fd, {events, data})}. */
    public static void epollCtl(int epfd, int op, int fd, int events, long data) throws ErrnoException {
        try (NativeMemory m = new NativeMemory()) {
            long event = m.allocate(12); // struct epoll_event is packed on x86_64: u32 events, u64 data
            m.putInt(event, events);
            m.putLong(event + 4, data);
            if (LibC.epollCtl(epfd, op, fd, event) < 0) {
                throw new ErrnoException("epoll_ctl(" + epfd + ", " + (op == Linux.EPOLL_CTL_ADD ? "EPOLL_CTL_ADD" : "op " + op)
                        + ", " + fd + ", events 0x" + Integer.toHexString(events) + ")", errno());
            }
        }
    }

    private static final int SOCKADDR_MAX = 28; // sizeof(struct sockaddr_in6)

    public static int fcntl(int fd, int cmd, int arg) throws ErrnoException {
        int rc = LibC.fcntl(fd, cmd, arg);
        if (rc < 0) {
            throw new ErrnoException("fcntl(" + fd + ", " + cmd + ")", errno());
        }
        return rc;
    }

    public static int getIntOption(int fd, int level, int name) throws ErrnoException {
        long v = LibC.getIntOption(fd, level, name);
        if (v < 0) {
            throw new ErrnoException("getsockopt(" + fd + ", " + option(level, name) + ")", errno());
        }
        return (int) v;
    }

    /**
     * getsockopt of an int where a refusal is an answer the caller expects (an option of a protocol the socket may not
     * speak): {@code otherwise} on any error, no exception built.
     */
    public static int getIntOptionOr(int fd, int level, int name, int otherwise) {
        long v = LibC.getIntOption(fd, level, name);
        return v < 0 ? otherwise : (int) v;
    }

    /** getsockopt of {@code count} ints (SO_LINGER is two). */
    public static int[] getIntsOption(int fd, int level, int name, int count) throws ErrnoException {
        try (NativeMemory m = new NativeMemory()) {
            long value = m.allocate(4 * count);
            long length = m.allocate(4);
            m.putInt(length, 4 * count);
            if (LibC.getsockopt(fd, level, name, value, length) < 0) {
                throw new ErrnoException("getsockopt(" + fd + ", " + option(level, name) + ")", errno());
            }
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = m.getInt(value + 4L * i);
            }
            return out;
        }
    }

    /** setsockopt of an int array. */
    public static void setIntsOption(int fd, int level, int name, int[] value) throws ErrnoException {
        try (NativeMemory m = new NativeMemory()) {
            long buf = m.allocate(4 * value.length);
            for (int i = 0; i < value.length; i++) {
                m.putInt(buf + 4L * i, value[i]);
            }
            if (LibC.setsockopt(fd, level, name, buf, 4 * value.length) < 0) {
                throw new ErrnoException("setsockopt(" + fd + ", " + option(level, name) + ", " + java.util.Arrays.toString(value) + ")", errno());
            }
        }
    }

    public static void setIntOption(int fd, int level, int name, int value) throws ErrnoException {
        if (LibC.setIntOption(fd, level, name, value) < 0) {
            throw new ErrnoException("setsockopt(" + fd + ", " + option(level, name) + ", " + value + ")", errno());
        }
    }

    /** setsockopt of a byte string (SO_BINDTODEVICE, TCP_CONGESTION). */
    public static void setBytesOption(int fd, int level, int name, byte[] value) throws ErrnoException {
        try (NativeMemory m = new NativeMemory()) {
            long buf = m.allocate(value.length);
            m.putBytes(buf, value);
            if (LibC.setsockopt(fd, level, name, buf, value.length) < 0) {
                throw new ErrnoException("setsockopt(" + fd + ", " + option(level, name) + ", \""
                        + new String(value, java.nio.charset.StandardCharsets.US_ASCII) + "\")", errno());
            }
        }
    }

    /** setsockopt for clean-up paths: a failure is ignored (an earlier one is already in flight). */
    public static void setIntOptionQuietly(int fd, int level, int name, int value) {
        try {
            setIntOption(fd, level, name, value);
        } catch (ErrnoException ignored) {
            // the earlier failure is what matters
        }
    }

    /**
     * A getsockopt whose value is a structure, possibly with pointers to further buffers (as
     * MPTCP_FULL_INFO has): {@code exchange} fills the request and reads the answer while the
     * native memory is still valid.
     */
    public static <T> T getStructOption(int fd, int level, int name, int capacity, Exchange<T> exchange) throws ErrnoException {
        try (NativeMemory m = new NativeMemory()) {
            long buf = m.allocate(capacity);
            long length = m.allocate(4);
            m.putInt(length, capacity);
            exchange.prepare(m, buf);
            if (LibC.getsockopt(fd, level, name, buf, length) < 0) {
                throw new ErrnoException("getsockopt(" + fd + ", " + option(level, name) + ")", errno());
            }
            return exchange.read(m, buf, Math.min(m.getInt(length), capacity));
        }
    }

    /** The two halves of a {@link #getStructOption} call. */
    public interface Exchange<T> {
        /** Fills the request at {@code buf} (already zeroed); may allocate more blocks from {@code memory}. */
        default void prepare(NativeMemory memory, long buf) {
        }

        /** Reads the answer: {@code length} is the optlen the kernel returned. */
        T read(NativeMemory memory, long buf, int length);
    }

    /** The raw bytes of a structure-valued option (up to {@code capacity}). */
    public static byte[] getBytesOption(int fd, int level, int name, int capacity) throws ErrnoException {
        return getStructOption(fd, level, name, capacity, (m, buf, len) -> m.bytes(buf, len));
    }

    static String family(int domain) {
        switch (domain) {
            case Linux.AF_INET: return "AF_INET";
            case Linux.AF_INET6: return "AF_INET6";
            case NetlinkSocket.AF_NETLINK: return "AF_NETLINK";
            default: return "family " + domain;
        }
    }

    static String type(int type) {
        switch (type & 0xf) {
            case Linux.SOCK_STREAM: return "SOCK_STREAM";
            case Linux.SOCK_DGRAM: return "SOCK_DGRAM";
            case 3: return "SOCK_RAW";
            default: return "type " + (type & 0xf);
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
