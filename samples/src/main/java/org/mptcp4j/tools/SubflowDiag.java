package org.mptcp4j.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mptcp4j.sys.NetlinkSocket;

/**
 * Every MPTCP subflow of this network namespace, from the kernel's sock_diag (what {@code ss -tiM}
 * reads): each subflow is a TCP socket whose ULP is "mptcp", carrying its connection's token. Lets
 * a tool show, per connection, which path carries what, for connections of any process. Needs
 * CAP_NET_ADMIN for the ULP details.
 */
final class SubflowDiag {
    private SubflowDiag() {}

    private static final int NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int INET_DIAG_INFO = 2;
    private static final int INET_DIAG_ULP_INFO = 19;
    private static final int INET_ULP_INFO_NAME = 1;
    private static final int INET_ULP_INFO_MPTCP = 3;
    private static final int MPTCP_SUBFLOW_ATTR_TOKEN_LOC = 2;

    /** One subflow as sock_diag reports it. */
    record Subflow(long token, InetSocketAddress local, InetSocketAddress remote, Optional<String> device,
                   long bytesAcked, long bytesReceived, long rttMicros, int cwnd) {
        String key() {
            return token + " " + local + " " + remote;
        }
    }

    static List<Subflow> dump() throws IOException {
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
                    byte[] d = s.receive();
                    ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
                    int p = 0;
                    while (p + 16 <= d.length) {
                        int len = b.getInt(p);
                        int type = b.getShort(p + 4) & 0xffff;
                        if (len < 16 || p + len > d.length) {
                            break;
                        }
                        if (type == 3 || type == 2) { // NLMSG_DONE, NLMSG_ERROR
                            done = true;
                            break;
                        }
                        Subflow sf = parse(d, b, p, len, family);
                        if (sf != null) {
                            out.add(sf);
                        }
                        p += (len + 3) & ~3;
                    }
                }
            }
        }
        return out;
    }

    private static Subflow parse(byte[] d, ByteBuffer b, int p, int len, int family) {
        int msg = p + 16; // struct inet_diag_msg
        if (len < 16 + 72) {
            return null;
        }
        int sport = ((d[msg + 4] & 0xff) << 8) | (d[msg + 5] & 0xff);
        int dport = ((d[msg + 6] & 0xff) << 8) | (d[msg + 7] & 0xff);
        byte[] src = new byte[family == 2 ? 4 : 16];
        byte[] dst = new byte[src.length];
        System.arraycopy(d, msg + 8, src, 0, src.length);
        System.arraycopy(d, msg + 24, dst, 0, dst.length);
        long token = -1;
        long acked = 0;
        long received = 0;
        long rtt = 0;
        int cwnd = 0;
        int a = msg + 72;
        while (a + 4 <= p + len) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & 0x7fff;
            if (alen < 4 || a + alen > p + len) {
                break;
            }
            if (atype == INET_DIAG_INFO && alen - 4 >= 136) {
                rtt = b.getInt(a + 4 + 68) & 0xffffffffL;
                cwnd = b.getInt(a + 4 + 80);
                acked = b.getLong(a + 4 + 120);
                received = b.getLong(a + 4 + 128);
            } else if (atype == INET_DIAG_ULP_INFO) {
                token = ulpToken(d, b, a + 4, a + alen);
            }
            a += (alen + 3) & ~3;
        }
        if (token < 0) {
            return null; // a plain TCP socket, or an MPTCP one we may not inspect
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

    private static long ulpToken(byte[] d, ByteBuffer b, int from, int to) {
        boolean mptcp = false;
        long token = -1;
        int a = from;
        while (a + 4 <= to) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & 0x7fff;
            if (alen < 4 || a + alen > to) {
                break;
            }
            if (atype == INET_ULP_INFO_NAME) {
                mptcp = new String(d, a + 4, Math.max(0, alen - 5)).startsWith("mptcp");
            } else if (atype == INET_ULP_INFO_MPTCP) {
                int n = a + 4;
                while (n + 4 <= a + alen) {
                    int nlen = b.getShort(n) & 0xffff;
                    int ntype = b.getShort(n + 2) & 0x7fff;
                    if (nlen < 4) {
                        break;
                    }
                    if (ntype == MPTCP_SUBFLOW_ATTR_TOKEN_LOC && nlen >= 8) {
                        token = b.getInt(n + 4) & 0xffffffffL;
                    }
                    n += (nlen + 3) & ~3;
                }
            }
            a += (alen + 3) & ~3;
        }
        return mptcp ? token : -1;
    }
}
