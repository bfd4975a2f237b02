package org.mptcp4j.internal.sys;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * A raw netlink socket ({@code AF_NETLINK}): open, bind to multicast groups, send one message,
 * receive one datagram. Messages are byte arrays in host byte order, built and parsed by the
 * callers. Thread-safe for one sender and one receiver.
 */
public final class NetlinkSocket implements Closeable {
    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_GENERIC = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_ADD_MEMBERSHIP = 1;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUF = 8;

    private final int fd;
    private volatile boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** Opens a netlink socket of {@code protocol}, bound with a kernel-assigned port id, extended acks on. */
    public static NetlinkSocket open(int protocol) throws IOException {
        int fd = NativeSockets.socket(AF_NETLINK, SOCK_RAW | Linux.SOCK_CLOEXEC, protocol);
        try {
            try (NativeMemory m = new NativeMemory()) {
                long addr = m.allocate(12); // struct sockaddr_nl: family, pad, pid 0 (kernel assigns), groups 0
                m.putInt(addr, AF_NETLINK); // little-endian: the u16 family then a zero pad
                if (LibC.bind(fd, addr, 12) < 0) {
                    throw new ErrnoException("bind(netlink " + protocol + ")", LibC.errno());
                }
            }
            try {
                NativeSockets.setIntOption(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
            } catch (ErrnoException ignored) {
                // kernels without extended acks: errors come without their message
            }
            return new NetlinkSocket(fd);
        } catch (IOException | RuntimeException e) {
            NativeSockets.closeQuietly(fd);
            throw e;
        }
    }

    /** Joins multicast group {@code group} (for events). */
    public void join(int group) throws ErrnoException {
        NativeSockets.setIntOption(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
    }

    /** A receive timeout, so a reader can notice {@link #close()} (0 = block forever). */
    public void receiveTimeoutMillis(int millis) throws ErrnoException {
        NativeSockets.setIntsOption(fd, Linux.SOL_SOCKET, SO_RCVTIMEO, new int[] {millis / 1000, 0, (millis % 1000) * 1000, 0});
    }

    /** A larger receive buffer for bursts of events. */
    public void receiveBuffer(int bytes) throws ErrnoException {
        NativeSockets.setIntOption(fd, Linux.SOL_SOCKET, SO_RCVBUF, bytes);
    }

    public void send(byte[] message) throws IOException {
        try (NativeMemory m = new NativeMemory()) {
            long buf = m.allocate(message.length);
            for (int i = 0; i < message.length; i++) {
                m.putByte(buf + i, message[i]);
            }
            if (LibC.send(fd, buf, message.length, 0) < 0) {
                throw new ErrnoException("send(netlink)", LibC.errno());
            }
        }
    }

    /** One datagram (possibly several netlink messages); throws SocketTimeoutException on the receive timeout. */
    public byte[] receive() throws IOException {
        int capacity = 64 << 10;
        try (NativeMemory m = new NativeMemory()) {
            long buf = m.allocate(capacity);
            while (true) {
                long n = LibC.recv(fd, buf, capacity, 0);
                if (n >= 0) {
                    return m.bytes(buf, (int) n);
                }
                int errno = LibC.errno();
                if (errno == Errno.EINTR.code()) {
                    continue;
                }
                if (errno == Errno.EAGAIN.code()) {
                    throw new SocketTimeoutException("netlink receive timed out");
                }
                throw new ErrnoException("recv(netlink)", errno);
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeSockets.closeQuietly(fd);
        }
    }
}
