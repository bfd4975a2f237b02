package org.mptcp4j.pm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mptcp4j.internal.sys.Netlink;
import org.mptcp4j.internal.sys.NetlinkSocket;

/**
 * Every MPTCP subflow of this network namespace, of any process, from the kernel's sock_diag (what
 * {@code ss -tiM} reads): each subflow is a TCP socket whose ULP is "mptcp", carrying its connection's
 * token, so a tool can show per connection which path carries what. Needs CAP_NET_ADMIN for the ULP
 * details (without it the list is empty).
 */
public final class Subflows {
    private Subflows() {}

    private static final int NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int INET_DIAG_INFO = 2;
    private static final int INET_DIAG_ULP_INFO = 19;
    private static final int INET_ULP_INFO_NAME = 1;
    private static final int INET_ULP_INFO_MPTCP = 3;
    private static final int MPTCP_SUBFLOW_ATTR_TOKEN_LOC = 2;
    private static final int INET_DIAG_MSG = 72; // sizeof(struct inet_diag_msg)

    /**
     * One subflow as sock_diag reports it: its connection's token, its addresses, the interface of its
     * local address, and from its tcp_info the bytes acknowledged and received, the smoothed RTT and the
     * congestion window.
     */
    public record Subflow(long token, InetSocketAddress local, InetSocketAddress remote, Optional<String> device,
                          long bytesAcked, long bytesReceived, long rttMicros, int cwnd) {
        /** Identifies the subflow across two snapshots. */
        public String key() {
            return token + " " + local + " " + remote;
        }
    }

    /** The established MPTCP subflows of this network namespace, IPv4 then IPv6. */
    public static List<Subflow> ofNamespace() throws IOException {
        List<Subflow> out = new ArrayList<>();
        for (int family : new int[] {2, 10}) {
            try (NetlinkSocket s = NetlinkSocket.open(NETLINK_SOCK_DIAG)) {
                ByteBuffer req = ByteBuffer.allocate(16 + 56).order(ByteOrder.nativeOrder());
                req.putInt(72).putShort((short) SOCK_DIAG_BY_FAMILY).putShort((short) 0x301).putInt(1).putInt(0);
                req.put((byte) family).put((byte) 6).put((byte) (1 << (INET_DIAG_INFO - 1))).put((byte) 0);
                req.putInt(1 << 1); // TCP_ESTABLISHED
                s.send(req.array());
                boolean done = false;
                while (!done) {
                    done = parse(s.receive(), family, out);
                }
            }
        }
        return out;
    }

    /** Adds the MPTCP subflows of one sock_diag datagram to {@code out}; true when the dump is complete. */
    static boolean parse(byte[] datagram, int family, List<Subflow> out) {
        for (Netlink.Message m : Netlink.split(datagram)) {
            if (m.type() == Netlink.NLMSG_DONE || m.type() == Netlink.NLMSG_ERROR) {
                return true;
            }
            Subflow sf = parse(m, family);
            if (sf != null) {
                out.add(sf);
            }
        }
        return false;
    }

    private static Subflow parse(Netlink.Message m, int family) {
        if (m.length() < Netlink.HEADER + INET_DIAG_MSG) {
            return null;
        }
        byte[] d = m.raw();
        int msg = m.payload(); // struct inet_diag_msg
        int sport = ((d[msg + 4] & 0xff) << 8) | (d[msg + 5] & 0xff);
        int dport = ((d[msg + 6] & 0xff) << 8) | (d[msg + 7] & 0xff);
        byte[] src = new byte[family == 2 ? 4 : 16];
        byte[] dst = new byte[src.length];
        System.arraycopy(d, msg + 8, src, 0, src.length);
        System.arraycopy(d, msg + 24, dst, 0, dst.length);
        List<Netlink.Attr> attrs = m.attributes(INET_DIAG_MSG);
        Netlink.Attr ulp = Netlink.find(attrs, INET_DIAG_ULP_INFO);
        long token = ulp == null ? -1 : mptcpToken(ulp.nested());
        if (token < 0) {
            return null; // a plain TCP socket, or an MPTCP one we may not inspect
        }
        long acked = 0;
        long received = 0;
        long rtt = 0;
        int cwnd = 0;
        Netlink.Attr info = Netlink.find(attrs, INET_DIAG_INFO);
        if (info != null && info.value().length >= 136) { // struct tcp_info up to tcpi_bytes_received
            ByteBuffer t = info.buffer();
            rtt = t.getInt(68) & 0xffffffffL;
            cwnd = t.getInt(80);
            acked = t.getLong(120);
            received = t.getLong(128);
        }
        try {
            InetAddress local = InetAddress.getByAddress(src);
            Optional<String> dev = Optional.ofNullable(NetworkInterface.getByInetAddress(local)).map(NetworkInterface::getName);
            return new Subflow(token, new InetSocketAddress(local, sport), new InetSocketAddress(InetAddress.getByAddress(dst), dport),
                    dev, acked, received, rtt, cwnd);
        } catch (IOException e) {
            return null;
        }
    }

    /** The connection token of an MPTCP subflow from its ULP attributes; -1 if the ULP is not mptcp. */
    private static long mptcpToken(List<Netlink.Attr> ulp) {
        Netlink.Attr name = Netlink.find(ulp, INET_ULP_INFO_NAME);
        Netlink.Attr mptcp = Netlink.find(ulp, INET_ULP_INFO_MPTCP);
        if (name == null || !name.string().startsWith("mptcp") || mptcp == null) {
            return -1;
        }
        Netlink.Attr token = Netlink.find(mptcp.nested(), MPTCP_SUBFLOW_ATTR_TOKEN_LOC);
        return token == null || token.value().length < 4 ? -1 : token.u32();
    }
}
