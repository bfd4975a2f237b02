package org.mptcp4j.internal.engine;

import static org.mptcp4j.internal.sys.Linux.AF_INET6;
import static org.mptcp4j.internal.sys.Linux.AF_INET;
import static org.mptcp4j.internal.sys.Linux.IPPROTO_MPTCP;
import static org.mptcp4j.internal.sys.Linux.MPTCP_FULL_INFO;
import static org.mptcp4j.internal.sys.Linux.MPTCP_INFO;
import static org.mptcp4j.internal.sys.Linux.SOL_MPTCP;
import static org.mptcp4j.internal.sys.Linux.SOL_SOCKET;
import static org.mptcp4j.internal.sys.Linux.SOL_TCP;
import static org.mptcp4j.internal.sys.Linux.SO_PROTOCOL;
import static org.mptcp4j.internal.sys.Linux.TCP_IS_MPTCP;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.MptcpStatus;
import org.mptcp4j.SubflowInfo;
import org.mptcp4j.internal.sys.Errno;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.NativeSockets;

/** Reads status and info of a socket fd from the kernel and decodes the uapi structures. */
public final class InfoReader {
    private InfoReader() {}

    // struct mptcp_info (include/uapi/linux/mptcp.h, 96 bytes on 6.x)
    static final int MPTCP_INFO_SIZE = 96;
    // struct tcp_info as of Linux 6.x; the kernel copies min(its size, ours)
    static final int TCP_INFO_SIZE = 232;
    // struct mptcp_subflow_info: __u32 id; pad; two 128-byte sockaddr_storage unions
    static final int SUBFLOW_INFO_SIZE = 264;
    // struct mptcp_full_info: six __u32, two __aligned_u64 pointers, then struct mptcp_info
    static final int FULL_INFO_HEADER = 40;
    static final int MAX_SUBFLOWS = 16;

    private static volatile boolean fullInfoUnsupported;

    public static MptcpStatus status(int fd) throws IOException {
        if (NativeSockets.getIntOption(fd, SOL_SOCKET, SO_PROTOCOL) != IPPROTO_MPTCP) {
            return MptcpStatus.TCP;
        }
        return NativeSockets.getIntOption(fd, SOL_TCP, TCP_IS_MPTCP) != 0 ? MptcpStatus.MPTCP : MptcpStatus.FALLBACK;
    }

    public static Optional<MptcpInfo> info(int fd) throws IOException {
        return status(fd) == MptcpStatus.MPTCP ? Optional.of(mptcpInfo(fd)) : Optional.empty();
    }

    /** The info of {@code fd}, which {@link #status} just found {@link MptcpStatus#MPTCP}. */
    static MptcpInfo mptcpInfo(int fd) throws IOException {
        if (!fullInfoUnsupported) {
            try {
                return fullInfo(fd);
            } catch (ErrnoException e) {
                if (!(e.is(Errno.EOPNOTSUPP) || e.is(Errno.ENOPROTOOPT) || e.is(Errno.EINVAL))) {
                    throw e;
                }
                fullInfoUnsupported = true; // kernel < 6.5: no per-subflow detail in one call
            }
        }
        byte[] raw = NativeSockets.getBytesOption(fd, SOL_MPTCP, MPTCP_INFO, MPTCP_INFO_SIZE);
        return decode(le(raw), 0, List.of());
    }

    private static MptcpInfo fullInfo(int fd) throws IOException {
        List<byte[]> raw = rawFullInfo(fd);
        List<byte[]> subflowInfos = new ArrayList<>();
        List<byte[]> tcpInfos = new ArrayList<>();
        for (int i = 1; i + 1 < raw.size(); i += 2) {
            subflowInfos.add(raw.get(i));
            tcpInfos.add(raw.get(i + 1));
        }
        return decodeFullInfo(raw.get(0), subflowInfos, tcpInfos);
    }

    /**
     * Decodes what {@code getsockopt(MPTCP_FULL_INFO)} left in its three buffers: the header with the
     * connection's {@code struct mptcp_info}, one {@code struct mptcp_subflow_info} and one
     * {@code struct tcp_info} per subflow (only as many bytes of each as the kernel says it wrote count).
     */
    public static MptcpInfo decodeFullInfo(byte[] header, List<byte[]> subflowInfos, List<byte[]> tcpInfos) {
        ByteBuffer h = le(header);
        int tcpInfoSize = Math.min(h.getInt(0), TCP_INFO_SIZE);
        int sfInfoSize = Math.min(h.getInt(8), SUBFLOW_INFO_SIZE);
        int count = Math.min(Math.min(h.getInt(16), MAX_SUBFLOWS), subflowInfos.size());
        List<SubflowInfo> subflows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] sf = java.util.Arrays.copyOf(java.util.Arrays.copyOf(subflowInfos.get(i), sfInfoSize), SUBFLOW_INFO_SIZE);
            byte[] tcp = java.util.Arrays.copyOf(java.util.Arrays.copyOf(tcpInfos.get(i), tcpInfoSize), TCP_INFO_SIZE);
            subflows.add(subflow(le(sf), le(tcp)));
        }
        return decode(h, FULL_INFO_HEADER, subflows);
    }

    /** The raw buffers of {@code MPTCP_FULL_INFO} for {@code fd}, for fixtures: header, then subflow and tcp infos alternating. */
    public static List<byte[]> rawFullInfo(int fd) throws IOException {
        return NativeSockets.getStructOption(fd, SOL_MPTCP, MPTCP_FULL_INFO, FULL_INFO_HEADER + MPTCP_INFO_SIZE,
                new NativeSockets.Exchange<List<byte[]>>() {
                    long subflowInfo;
                    long tcpInfo;

                    @Override
                    public void prepare(org.mptcp4j.internal.sys.NativeMemory m, long buf) {
                        subflowInfo = m.allocate(SUBFLOW_INFO_SIZE * MAX_SUBFLOWS);
                        tcpInfo = m.allocate(TCP_INFO_SIZE * MAX_SUBFLOWS);
                        m.putInt(buf + 4, TCP_INFO_SIZE);
                        m.putInt(buf + 12, SUBFLOW_INFO_SIZE);
                        m.putInt(buf + 20, MAX_SUBFLOWS);
                        m.putLong(buf + 24, subflowInfo);
                        m.putLong(buf + 32, tcpInfo);
                    }

                    @Override
                    public List<byte[]> read(org.mptcp4j.internal.sys.NativeMemory m, long buf, int length) {
                        List<byte[]> out = new ArrayList<>();
                        byte[] header = m.bytes(buf, length);
                        out.add(header);
                        int count = Math.min(le(header).getInt(16), MAX_SUBFLOWS);
                        for (int i = 0; i < count; i++) {
                            out.add(m.bytes(subflowInfo + (long) i * SUBFLOW_INFO_SIZE, SUBFLOW_INFO_SIZE));
                            out.add(m.bytes(tcpInfo + (long) i * TCP_INFO_SIZE, TCP_INFO_SIZE));
                        }
                        return out;
                    }
                });
    }

    private static MptcpInfo decode(ByteBuffer b, int o, List<SubflowInfo> subflows) {
        return new MptcpInfo(
                u32(b, o + 12),
                (int) u32(b, o + 8),
                u8(b, o),
                u8(b, o + 1),
                u8(b, o + 2),
                u8(b, o + 3),
                u8(b, o + 4),
                u8(b, o + 5),
                u8(b, o + 40),
                u8(b, o + 41),
                u8(b, o + 42) != 0,
                u32(b, o + 44),
                s64(b, o + 48),
                s64(b, o + 56),
                s64(b, o + 64),
                s64(b, o + 72),
                subflows);
    }

    private static SubflowInfo subflow(ByteBuffer sf, ByteBuffer t) {
        InetSocketAddress local = sockaddr(sf, 8);
        InetSocketAddress remote = sockaddr(sf, 8 + 128);
        return new SubflowInfo(
                sf.getInt(0),
                local,
                remote,
                Optional.empty(), // resolved by withInterfaces(), outside the socket's lock
                u8(t, 0),
                u32(t, 68),
                u32(t, 72),
                t.getInt(80),
                t.getInt(16),
                t.getLong(200),
                t.getLong(120),
                t.getLong(128),
                t.getLong(208),
                u32(t, 100));
    }

    /** struct sockaddr_in / sockaddr_in6: family in host order, port in network order. */
    static InetSocketAddress sockaddr(ByteBuffer b, int o) {
        int family = b.getShort(o) & 0xffff;
        int port = ((b.get(o + 2) & 0xff) << 8) | (b.get(o + 3) & 0xff);
        byte[] addr;
        if (family == AF_INET) {
            addr = new byte[4];
            b.get(o + 4, addr);
        } else if (family == AF_INET6) {
            addr = new byte[16];
            b.get(o + 8, addr);
        } else {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // unreachable: length is 4 or 16
        }
    }

    /**
     * Fills in each subflow's interface. Done after the socket's state lock is released: the lookup
     * asks the kernel for the interface list (milliseconds), and the lock is the one every read and
     * write of the channel takes briefly.
     */
    public static Optional<MptcpInfo> withInterfaces(Optional<MptcpInfo> info) {
        return info.map(i -> withInterfaces(i, InfoReader::interfaceOf));
    }

    /** {@code info} with each subflow's interface as {@code interfaceOf} names it from the subflow's local address. */
    static MptcpInfo withInterfaces(MptcpInfo i, java.util.function.Function<InetSocketAddress, Optional<String>> interfaceOf) {
        if (i.subflows().isEmpty()) {
            return i;
        }
        List<SubflowInfo> subflows = new ArrayList<>(i.subflows().size());
        for (SubflowInfo s : i.subflows()) {
            subflows.add(new SubflowInfo(s.id(), s.local(), s.remote(), interfaceOf.apply(s.local()), s.tcpState(), s.rttMicros(),
                    s.rttVarMicros(), s.congestionWindow(), s.mss(), s.bytesSent(), s.bytesAcked(), s.bytesReceived(),
                    s.bytesRetransmitted(), s.totalRetransmits()));
        }
        return new MptcpInfo(i.token(), i.flags(), i.additionalSubflows(), i.addAddrSignal(), i.addAddrAccepted(),
                i.subflowsMax(), i.addAddrSignalMax(), i.addAddrAcceptedMax(), i.localAddrUsed(), i.localAddrMax(), i.checksum(),
                i.retransmits(), i.bytesRetransmitted(), i.bytesSent(), i.bytesReceived(), i.bytesAcked(), subflows);
    }

    private static Optional<String> interfaceOf(InetSocketAddress local) {
        if (local == null) {
            return Optional.empty();
        }
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(local.getAddress());
            return nif == null ? Optional.empty() : Optional.of(nif.getName());
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static ByteBuffer le(byte[] raw) {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int u8(ByteBuffer b, int o) {
        return o < b.limit() ? b.get(o) & 0xff : 0;
    }

    private static long s64(ByteBuffer b, int o) {
        return o + 8 <= b.limit() ? b.getLong(o) : 0;
    }

    private static long u32(ByteBuffer b, int o) {
        return o + 4 <= b.limit() ? b.getInt(o) & 0xffffffffL : 0;
    }
}
