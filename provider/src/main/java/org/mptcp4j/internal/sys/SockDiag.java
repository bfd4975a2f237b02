package org.mptcp4j.internal.sys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * sock_diag (NETLINK_SOCK_DIAG) requests: the MPTCP sockets of this network namespace as {@code ss -M}
 * reads them, and one TCP socket's MPTCP subflow flags as {@code ss -ti} reads them. The first needs no
 * privilege; the second answers only with CAP_NET_ADMIN (the kernel leaves the ULP details out otherwise).
 */
public final class SockDiag {
    private SockDiag() {}

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int INET_DIAG_INFO = 2;
    private static final int INET_DIAG_ULP_INFO = 19;
    private static final int INET_DIAG_REQ_PROTOCOL = 3;
    private static final int INET_ULP_INFO_MPTCP = 3;
    private static final int MPTCP_SUBFLOW_ATTR_FLAGS = 8;
    private static final int INET_DIAG_MSG = 72; // sizeof(struct inet_diag_msg)
    private static final int REQUEST = Netlink.HEADER + 56 + 8; // nlmsghdr, inet_diag_req_v2, one u32 attribute
    private static final int ALL_STATES = -1;

    /** MPTCP_INFO_FLAG_FALLBACK and MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED of struct mptcp_info. */
    public static final long FLAG_FALLBACK = 1;
    public static final long FLAG_REMOTE_KEY = 2;
    /** MPTCP_SUBFLOW_FLAG_MCAP_REM: the peer's MP_CAPABLE was accepted on this subflow and has not been dropped since. */
    public static final long SUBFLOW_MCAP_REMOTE = 1;

    /**
     * One MPTCP socket: its inode (what {@code /proc/self/fd/N} names), TCP state, ports, and from its
     * struct mptcp_info the flags, the token (0: none, the kernel never asked for MPTCP) and whether DSS
     * checksums are on.
     */
    public record MptcpSocket(long inode, int state, int localPort, int remotePort, long flags, long token, boolean checksums) {
        public boolean fellBack() {
            return (flags & FLAG_FALLBACK) != 0;
        }

        public boolean remoteKeyReceived() {
            return (flags & FLAG_REMOTE_KEY) != 0;
        }
    }

    /** Every MPTCP socket of this namespace in {@code family} (listeners included). */
    public static List<MptcpSocket> mptcpSockets(int family) throws IOException {
        ByteBuffer req = request(family, 0, NLM_F_REQUEST | NLM_F_DUMP);
        req.putShort((short) 8).putShort((short) INET_DIAG_REQ_PROTOCOL).putInt(Linux.IPPROTO_MPTCP); // protocol > 255: an attribute
        List<MptcpSocket> out = new ArrayList<>();
        try (NetlinkSocket s = NetlinkSocket.open(NETLINK_SOCK_DIAG)) {
            s.send(req.array());
            while (!parseMptcp(s.receive(), out)) {
                // next datagram of the dump
            }
        }
        return out;
    }

    /**
     * The MPTCP subflow flags ({@code MPTCP_SUBFLOW_FLAG_*}) of the TCP socket with these addresses
     * (raw, network order), or -1 when the kernel gives none: no such socket, not a subflow, or no
     * CAP_NET_ADMIN.
     */
    public static long subflowFlags(int family, byte[] local, int localPort, byte[] remote, int remotePort) throws IOException {
        ByteBuffer req = request(family, 6, NLM_F_REQUEST); // IPPROTO_TCP, one socket by its addresses
        int id = Netlink.HEADER + 8;
        req.put(id, (byte) (localPort >> 8)).put(id + 1, (byte) localPort);
        req.put(id + 2, (byte) (remotePort >> 8)).put(id + 3, (byte) remotePort);
        req.put(id + 4, local, 0, local.length);
        req.put(id + 20, remote, 0, remote.length);
        req.putInt(id + 40, 0xffffffff).putInt(id + 44, 0xffffffff); // INET_DIAG_NOCOOKIE
        byte[] message = java.util.Arrays.copyOf(req.array(), REQUEST - 8);
        java.nio.ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).putInt(0, message.length);
        try (NetlinkSocket s = NetlinkSocket.open(NETLINK_SOCK_DIAG)) {
            s.send(message);
            for (Netlink.Message m : Netlink.split(s.receive())) {
                if (m.type() == SOCK_DIAG_BY_FAMILY) {
                    return subflowFlags(m);
                }
            }
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) {
                return -1;
            }
            throw e;
        }
        return -1;
    }

    private static ByteBuffer request(int family, int protocol, int flags) {
        ByteBuffer req = ByteBuffer.allocate(REQUEST).order(ByteOrder.nativeOrder());
        req.putInt(REQUEST).putShort((short) SOCK_DIAG_BY_FAMILY).putShort((short) flags).putInt(1).putInt(0);
        req.put((byte) family).put((byte) protocol).put((byte) (1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_ULP_INFO - 1)))
                .put((byte) 0);
        req.putInt(ALL_STATES);
        req.position(req.position() + 48); // struct inet_diag_sockid: filled by the caller for one socket
        return req;
    }

    /** Adds the MPTCP sockets of one sock_diag datagram to {@code out}; true when the dump is complete. */
    public static boolean parseMptcp(byte[] datagram, List<MptcpSocket> out) throws ErrnoException {
        for (Netlink.Message m : Netlink.split(datagram)) {
            if (m.type() == Netlink.NLMSG_DONE) {
                return true;
            }
            if (m.type() == Netlink.NLMSG_ERROR) {
                int errno = -m.buffer().getInt(m.payload());
                if (errno != 0) {
                    throw new ErrnoException("sock_diag(MPTCP)", errno);
                }
                return true;
            }
            if (m.length() < Netlink.HEADER + INET_DIAG_MSG) {
                continue;
            }
            ByteBuffer b = m.buffer();
            int msg = m.payload();
            int state = b.get(msg + 1) & 0xff;
            int sport = Short.toUnsignedInt(b.order(ByteOrder.BIG_ENDIAN).getShort(msg + 4));
            int dport = Short.toUnsignedInt(b.getShort(msg + 6));
            b.order(ByteOrder.nativeOrder());
            long inode = Integer.toUnsignedLong(b.getInt(msg + 68));
            long flags = 0;
            long token = 0;
            boolean checksums = false;
            Netlink.Attr info = Netlink.find(m.attributes(INET_DIAG_MSG), INET_DIAG_INFO);
            if (info != null && info.value().length >= 43) { // struct mptcp_info up to mptcpi_csum_enabled
                ByteBuffer i = info.buffer();
                flags = Integer.toUnsignedLong(i.getInt(8));
                token = Integer.toUnsignedLong(i.getInt(12));
                checksums = i.get(42) != 0;
            }
            out.add(new MptcpSocket(inode, state, sport, dport, flags, token, checksums));
        }
        return false;
    }

    private static long subflowFlags(Netlink.Message m) {
        Netlink.Attr ulp = Netlink.find(m.attributes(INET_DIAG_MSG), INET_DIAG_ULP_INFO);
        Netlink.Attr mptcp = ulp == null ? null : Netlink.find(ulp.nested(), INET_ULP_INFO_MPTCP);
        Netlink.Attr flags = mptcp == null ? null : Netlink.find(mptcp.nested(), MPTCP_SUBFLOW_ATTR_FLAGS);
        return flags == null || flags.value().length < 4 ? -1 : flags.u32();
    }
}
