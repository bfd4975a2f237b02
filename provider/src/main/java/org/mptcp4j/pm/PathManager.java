package org.mptcp4j.pm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.sys.Netlink;
import org.mptcp4j.internal.sys.NetlinkSocket;

/**
 * The kernel's MPTCP path manager over generic netlink (family {@code mptcp_pm}): limits, endpoints
 * and events, as {@code ip mptcp} and mptcpd use them, in the network namespace of this process.
 * Changing anything needs CAP_NET_ADMIN. Not thread-safe: one caller at a time per instance;
 * {@link #subscribe} runs its own socket and thread.
 */
public final class PathManager implements AutoCloseable {
    private static final int GENL_ID_CTRL = 16;
    private static final int CTRL_CMD_GETFAMILY = 3;
    private static final int CTRL_ATTR_FAMILY_ID = 1;
    private static final int CTRL_ATTR_FAMILY_NAME = 2;
    private static final int CTRL_ATTR_MCAST_GROUPS = 7;
    private static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
    private static final int CTRL_ATTR_MCAST_GRP_ID = 2;

    static final int CMD_ADD_ADDR = 1;
    static final int CMD_DEL_ADDR = 2;
    static final int CMD_GET_ADDR = 3;
    static final int CMD_FLUSH_ADDRS = 4;
    static final int CMD_SET_LIMITS = 5;
    static final int CMD_GET_LIMITS = 6;
    static final int CMD_SET_FLAGS = 7;

    static final int CMD_ANNOUNCE = 8;
    static final int CMD_REMOVE = 9;
    static final int CMD_SUBFLOW_CREATE = 10;
    static final int CMD_SUBFLOW_DESTROY = 11;

    static final int ATTR_ADDR = 1;
    static final int ATTR_RCV_ADD_ADDRS = 2;
    static final int ATTR_SUBFLOWS = 3;
    static final int ATTR_TOKEN = 4;
    static final int ATTR_LOC_ID = 5;
    static final int ATTR_ADDR_REMOTE = 6;

    static final int ADDR_FAMILY = 1;
    static final int ADDR_ID = 2;
    static final int ADDR_ADDR4 = 3;
    static final int ADDR_ADDR6 = 4;
    static final int ADDR_PORT = 5;
    static final int ADDR_FLAGS = 6;
    static final int ADDR_IF_IDX = 7;

    private final NetlinkSocket socket;
    private final int family;
    private final int eventsGroup;
    private final AtomicInteger seq = new AtomicInteger(1);

    private PathManager(NetlinkSocket socket, int family, int eventsGroup) {
        this.socket = socket;
        this.family = family;
        this.eventsGroup = eventsGroup;
    }

    /** Connects to the kernel's {@code mptcp_pm} generic-netlink family. */
    public static PathManager open() throws IOException {
        NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC);
        try {
            s.send(new GenlMessage.Builder(GENL_ID_CTRL, GenlMessage.NLM_F_REQUEST, 1, CTRL_CMD_GETFAMILY)
                    .string(CTRL_ATTR_FAMILY_NAME, "mptcp_pm").build());
            List<Netlink.Attr> attrs = null;
            for (Netlink.Message m : Netlink.split(s.receive())) {
                if (m.type() == GenlMessage.NLMSG_ERROR) {
                    checkError(m, "resolve generic netlink family mptcp_pm (is MPTCP in this kernel?)");
                } else {
                    attrs = GenlMessage.attributes(m);
                }
            }
            Netlink.Attr id = attrs == null ? null : Netlink.find(attrs, CTRL_ATTR_FAMILY_ID);
            if (id == null) {
                throw new IOException("the kernel has no generic netlink family mptcp_pm");
            }
            int group = -1;
            Netlink.Attr groups = Netlink.find(attrs, CTRL_ATTR_MCAST_GROUPS);
            if (groups != null) {
                for (Netlink.Attr g : groups.nested()) {
                    List<Netlink.Attr> ga = g.nested();
                    Netlink.Attr name = Netlink.find(ga, CTRL_ATTR_MCAST_GRP_NAME);
                    Netlink.Attr gid = Netlink.find(ga, CTRL_ATTR_MCAST_GRP_ID);
                    if (name != null && gid != null && name.string().equals("mptcp_pm_events")) {
                        group = (int) gid.u32();
                    }
                }
            }
            return new PathManager(s, id.u16(), group);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ limits

    public Limits limits() throws IOException {
        List<Netlink.Attr> a = request("get limits", new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST, seq.incrementAndGet(), CMD_GET_LIMITS)).get(0);
        return new Limits((int) Netlink.find(a, ATTR_SUBFLOWS).u32(), (int) Netlink.find(a, ATTR_RCV_ADD_ADDRS).u32());
    }

    public void setLimits(Limits limits) throws IOException {
        request("set limits", new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_SET_LIMITS)
                .u32(ATTR_RCV_ADD_ADDRS, limits.addAddrAccepted()).u32(ATTR_SUBFLOWS, limits.subflows()));
    }

    // ------------------------------------------------------------------ endpoints

    public List<Endpoint> endpoints() throws IOException {
        List<Endpoint> out = new ArrayList<>();
        for (List<Netlink.Attr> a : request("show endpoints",
                new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_DUMP, seq.incrementAndGet(), CMD_GET_ADDR))) {
            Netlink.Attr addr = Netlink.find(a, ATTR_ADDR);
            if (addr != null) {
                out.add(endpoint(addr.nested()));
            }
        }
        return out;
    }

    /** Adds an endpoint (id 0: the kernel picks one). Errors carry the kernel's message, e.g. a duplicate. */
    public void addEndpoint(Endpoint e) throws IOException {
        GenlMessage.Builder b = new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_ADD_ADDR);
        address(b.nest(ATTR_ADDR), e).end();
        request("add endpoint " + e.address().getHostAddress(), b);
    }

    public void deleteEndpoint(int id) throws IOException {
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("endpoint id " + id + " is out of range: expected 1-255");
        }
        request("delete endpoint id " + id, new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_DEL_ADDR)
                .nest(ATTR_ADDR).u8(ADDR_ID, id).end());
    }

    /**
     * Closes, on every connection, the initial subflows that use local address {@code address}
     * (the kernel's "id 0" address, which no endpoint owns). What the link watcher does when that
     * address's link goes down.
     */
    public void deleteInitialSubflows(InetAddress address) throws IOException {
        boolean v4 = address instanceof Inet4Address;
        request("close initial subflows on " + address.getHostAddress(),
                new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_DEL_ADDR)
                        .nest(ATTR_ADDR).u16(ADDR_FAMILY, v4 ? 2 : 10).u8(ADDR_ID, 0).attr(v4 ? ADDR_ADDR4 : ADDR_ADDR6, address.getAddress()).end());
    }

    public void flushEndpoints() throws IOException {
        request("flush endpoints", new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_FLUSH_ADDRS));
    }

    /** Changes the flags of endpoint {@code id} (the kernel accepts backup and fullmesh changes). */
    public void setFlags(int id, Set<Endpoint.Flag> flags) throws IOException {
        request("set flags of endpoint id " + id, new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_SET_FLAGS)
                .nest(ATTR_ADDR).u8(ADDR_ID, id).u32(ADDR_FLAGS, Endpoint.Flag.bits(flags)).end());
    }

    // ------------------------------------------------------------------ userspace path manager (net.mptcp.pm_type=1)

    /** Announces local address {@code local} (with its id) to the peer of connection {@code token} (ADD_ADDR). */
    public void announce(long token, Endpoint local) throws IOException {
        GenlMessage.Builder b = new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_ANNOUNCE)
                .u32(ATTR_TOKEN, (int) token);
        address(b.nest(ATTR_ADDR), local).end();
        request("announce " + local.address().getHostAddress() + " on token " + Long.toHexString(token), b);
    }

    /** Withdraws the address with local id {@code localId} from connection {@code token} (REMOVE_ADDR). */
    public void remove(long token, int localId) throws IOException {
        request("remove id " + localId + " on token " + Long.toHexString(token),
                new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_REMOVE)
                        .u32(ATTR_TOKEN, (int) token).u8(ATTR_LOC_ID, localId));
    }

    /** Opens a subflow of connection {@code token} from {@code local} (address and id) to {@code remote}:{@code remotePort}. */
    public void createSubflow(long token, Endpoint local, InetAddress remote, int remotePort) throws IOException {
        GenlMessage.Builder b = new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_SUBFLOW_CREATE)
                .u32(ATTR_TOKEN, (int) token);
        address(b.nest(ATTR_ADDR), local).end();
        address(b.nest(ATTR_ADDR_REMOTE), new Endpoint(0, remote, remotePort, Optional.empty(), Set.of())).end();
        request("create subflow " + local.address().getHostAddress() + " -> " + remote.getHostAddress() + ":" + remotePort, b);
    }

    /** Closes the subflow of connection {@code token} between the two address:port pairs. */
    public void destroySubflow(long token, InetAddress local, int localPort, InetAddress remote, int remotePort) throws IOException {
        GenlMessage.Builder b = new GenlMessage.Builder(family, GenlMessage.NLM_F_REQUEST | GenlMessage.NLM_F_ACK, seq.incrementAndGet(), CMD_SUBFLOW_DESTROY)
                .u32(ATTR_TOKEN, (int) token);
        address(b.nest(ATTR_ADDR), new Endpoint(0, local, localPort, Optional.empty(), Set.of())).end();
        address(b.nest(ATTR_ADDR_REMOTE), new Endpoint(0, remote, remotePort, Optional.empty(), Set.of())).end();
        request("destroy subflow " + local.getHostAddress() + ":" + localPort + " -> " + remote.getHostAddress() + ":" + remotePort, b);
    }

    // ------------------------------------------------------------------ events

    /** A running subscription; {@link #close()} stops its thread. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Delivers every MPTCP event of this namespace to {@code listener}, in kernel order, on a daemon
     * thread of its own socket, until the subscription is closed.
     */
    public Subscription subscribe(Consumer<MptcpEvent> listener) throws IOException {
        if (eventsGroup < 0) {
            throw new IOException("the kernel's mptcp_pm family has no mptcp_pm_events group");
        }
        NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC);
        try {
            s.join(eventsGroup);
            s.receiveBuffer(1 << 20);
            s.receiveTimeoutMillis(200);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                byte[] datagram;
                try {
                    datagram = s.receive();
                } catch (SocketTimeoutException timeout) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                for (Netlink.Message m : Netlink.split(datagram)) {
                    if (m.type() == family) {
                        try {
                            listener.accept(event(GenlMessage.cmd(m), GenlMessage.attributes(m)));
                        } catch (RuntimeException e) {
                            // the listener's own failure must not end the subscription
                            Log.warning("event listener failed: " + e);
                        }
                    }
                }
            }
        }, "mptcp4j-pm-events");
        t.setDaemon(true);
        t.start();
        return s::close;
    }

    @Override
    public void close() {
        socket.close();
    }

    // ------------------------------------------------------------------ internals

    /** Sends a request and collects the attribute lists of its replies; throws on a kernel error. */
    private List<List<Netlink.Attr>> request(String what, GenlMessage.Builder b) throws IOException {
        byte[] msg = b.build();
        int mySeq = ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder()).getInt(8);
        boolean dump = (ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder()).getShort(6) & GenlMessage.NLM_F_DUMP) == GenlMessage.NLM_F_DUMP;
        boolean ack = (ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder()).getShort(6) & GenlMessage.NLM_F_ACK) != 0;
        socket.send(msg);
        List<List<Netlink.Attr>> replies = new ArrayList<>();
        while (true) {
            for (Netlink.Message m : Netlink.split(socket.receive())) {
                if (m.seq() != mySeq) {
                    continue; // a stale reply of an earlier request
                }
                if (m.type() == GenlMessage.NLMSG_ERROR) {
                    checkError(m, what);
                    return replies; // the ack
                }
                if (m.type() == GenlMessage.NLMSG_DONE) {
                    return replies;
                }
                replies.add(GenlMessage.attributes(m));
                if (!dump && !ack) {
                    return replies;
                }
            }
        }
    }

    private static void checkError(Netlink.Message m, String what) throws PathManagerException {
        ByteBuffer b = m.buffer();
        int error = -b.getInt(m.payload()); // nlmsgerr.error
        if (error == 0) {
            return;
        }
        String text = null;
        if ((m.flags() & 0x200) != 0) { // NLM_F_ACK_TLVS: the extended ack's attributes follow
            int origLen = b.getInt(m.payload() + 4); // nlmsgerr.msg, the request's header, follows error
            int tlvs = m.payload() + 4 + ((m.flags() & 0x100) != 0 ? 16 : ((origLen + 3) & ~3));
            Netlink.Attr msg = Netlink.find(Netlink.attrs(m.raw(), tlvs, m.end()), 1);
            text = msg == null ? null : msg.string();
        }
        throw new PathManagerException(what, error, text);
    }

    private static GenlMessage.Builder address(GenlMessage.Builder b, Endpoint e) throws IOException {
        boolean v4 = e.address() instanceof Inet4Address;
        b.u16(ADDR_FAMILY, v4 ? 2 : 10);
        if (e.id() != 0) {
            b.u8(ADDR_ID, e.id());
        }
        b.attr(v4 ? ADDR_ADDR4 : ADDR_ADDR6, e.address().getAddress());
        if (e.port() != 0) {
            b.u16(ADDR_PORT, e.port());
        }
        if (!e.flags().isEmpty()) {
            b.u32(ADDR_FLAGS, Endpoint.Flag.bits(e.flags()));
        }
        if (e.device().isPresent()) {
            NetworkInterface nif = NetworkInterface.getByName(e.device().get());
            if (nif == null) {
                throw new SocketException("no such interface: " + e.device().get());
            }
            b.u32(ADDR_IF_IDX, nif.getIndex());
        }
        return b;
    }

    private static Endpoint endpoint(List<Netlink.Attr> a) throws UnknownHostException {
        Netlink.Attr a4 = Netlink.find(a, ADDR_ADDR4);
        Netlink.Attr a6 = Netlink.find(a, ADDR_ADDR6);
        InetAddress addr = InetAddress.getByAddress(a4 != null ? a4.value() : a6.value());
        Netlink.Attr id = Netlink.find(a, ADDR_ID);
        Netlink.Attr port = Netlink.find(a, ADDR_PORT);
        Netlink.Attr flags = Netlink.find(a, ADDR_FLAGS);
        Netlink.Attr ifIdx = Netlink.find(a, ADDR_IF_IDX);
        Optional<String> dev = Optional.empty();
        if (ifIdx != null && ifIdx.s32() > 0) {
            try {
                NetworkInterface nif = NetworkInterface.getByIndex(ifIdx.s32());
                dev = nif == null ? Optional.of("if" + ifIdx.s32()) : Optional.of(nif.getName());
            } catch (SocketException e) {
                dev = Optional.of("if" + ifIdx.s32());
            }
        }
        return new Endpoint(id == null ? 0 : id.u8(), addr, port == null ? 0 : port.u16(), dev,
                flags == null ? Set.of() : Endpoint.Flag.of(flags.u32()));
    }

    // event attributes
    private static final int EV_TOKEN = 1;
    private static final int EV_LOC_ID = 3;
    private static final int EV_REM_ID = 4;
    private static final int EV_SADDR4 = 5;
    private static final int EV_SADDR6 = 6;
    private static final int EV_DADDR4 = 7;
    private static final int EV_DADDR6 = 8;
    private static final int EV_SPORT = 9;
    private static final int EV_DPORT = 10;
    private static final int EV_BACKUP = 11;
    private static final int EV_ERROR = 12;
    private static final int EV_IF_IDX = 15;
    private static final int EV_SERVER_SIDE = 18;

    static MptcpEvent event(int cmd, List<Netlink.Attr> a) {
        Netlink.Attr token = Netlink.find(a, EV_TOKEN);
        Netlink.Attr loc = Netlink.find(a, EV_LOC_ID);
        Netlink.Attr rem = Netlink.find(a, EV_REM_ID);
        Netlink.Attr sport = Netlink.find(a, EV_SPORT);
        Netlink.Attr dport = Netlink.find(a, EV_DPORT);
        Netlink.Attr backup = Netlink.find(a, EV_BACKUP);
        Netlink.Attr error = Netlink.find(a, EV_ERROR);
        Netlink.Attr ifIdx = Netlink.find(a, EV_IF_IDX);
        Netlink.Attr server = Netlink.find(a, EV_SERVER_SIDE);
        return new MptcpEvent(MptcpEvent.Type.of(cmd), token == null ? 0 : token.u32(), loc == null ? -1 : loc.u8(), rem == null ? -1 : rem.u8(),
                inet(a, EV_SADDR4, EV_SADDR6), sport == null ? 0 : sport.u16be(), inet(a, EV_DADDR4, EV_DADDR6),
                dport == null ? 0 : dport.u16be(), ifIdx == null ? 0 : ifIdx.s32(), error == null ? 0 : error.u8(),
                backup != null && backup.u8() != 0, server != null && server.u8() != 0);
    }

    private static Optional<InetAddress> inet(List<Netlink.Attr> a, int v4, int v6) {
        Netlink.Attr x = Netlink.find(a, v4);
        if (x == null) {
            x = Netlink.find(a, v6);
        }
        try {
            return x == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(x.value()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
