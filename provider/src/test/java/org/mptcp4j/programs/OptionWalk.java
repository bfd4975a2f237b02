package org.mptcp4j.programs;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpSockets;

/**
 * Sets and reads back every supported option (standard and jdk.net) on client, accepted and
 * listening sockets, IPv4 / IPv6 / dual-stack, through the NIO channel API and through
 * java.net.Socket (including the legacy setters frameworks use), and on asynchronous channels. One line per attempt:
 * {@code api kind family option set=ok|ERR get=value|ERR}. Plain JDK API only, unless the argument
 * is {@code library} or {@code strict}: then the sockets come from {@link Mptcp#sockets()} or
 * {@link Mptcp#strict()}.
 */
public final class OptionWalk {
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "jdk";
        MptcpSockets lib = mode.equals("library") ? Mptcp.sockets() : mode.equals("strict") ? Mptcp.strict() : null;
        boolean library = lib != null;
        for (String family : new String[] {"inet", "inet6", "dual"}) {
            ProtocolFamily pf = family.equals("inet") ? StandardProtocolFamily.INET : family.equals("inet6") ? StandardProtocolFamily.INET6 : null;
            InetAddress loop = InetAddress.getByName(family.equals("inet6") ? "::1" : "127.0.0.1");
            try (ServerSocketChannel listener = library ? (pf == null ? lib.openServerSocketChannel() : lib.openServerSocketChannel(pf))
                    : pf == null ? ServerSocketChannel.open() : ServerSocketChannel.open(pf)) {
                listener.bind(new InetSocketAddress(family.equals("dual") ? InetAddress.getByName("::") : loop, 0));
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                try (SocketChannel client = library ? (pf == null ? lib.openSocketChannel() : lib.openSocketChannel(pf))
                        : pf == null ? SocketChannel.open() : SocketChannel.open(pf)) {
                    client.connect(new InetSocketAddress(loop, port));
                    try (SocketChannel accepted = listener.accept()) {
                        System.out.println("STATUS " + family + " client=" + Mptcp.status(client) + " accepted=" + Mptcp.status(accepted)
                                + " listener=" + Mptcp.status(listener));
                        System.out.println("CLASS " + client.getClass().getName() + " " + accepted.getClass().getName());
                        walk("channel", "client", family, client);
                        walk("channel", "accepted", family, accepted);
                        walk("channel", "listener", family, listener);
                        legacy("socket", "client", family, client.socket());
                        legacy("socket", "accepted", family, accepted.socket());
                    }
                }
            }
            try (ServerSocket server = library ? lib.newServerSocket() : new ServerSocket()) {
                server.bind(new InetSocketAddress(family.equals("dual") ? InetAddress.getByName("::") : loop, 0));
                try (Socket client = library ? connected(lib.newSocket(), loop, server.getLocalPort()) : new Socket(loop, server.getLocalPort());
                     Socket accepted = server.accept()) {
                    legacy("netsocket", "client", family, client);
                    legacy("netsocket", "accepted", family, accepted);
                    for (SocketOption<?> o : sorted(server.supportedOptions())) {
                        System.out.println("OPT netsocket listener " + family + " " + o.name() + " first read: " + read(() -> server.getOption(o), o));
                    }
                    for (SocketOption<?> o : sorted(server.supportedOptions())) {
                        attempt("netsocket", "listener", family, o, server);
                    }
                }
            }
        }
        // asynchronous channels: the JDK picks their family (dual-stack where IPv6 is available)
        try (AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open()) {
            InetAddress loop = InetAddress.getByName("127.0.0.1");
            listener.bind(new InetSocketAddress(loop, 0));
            Future<AsynchronousSocketChannel> accepting = listener.accept();
            try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
                client.connect(new InetSocketAddress(loop, ((InetSocketAddress) listener.getLocalAddress()).getPort())).get(10, TimeUnit.SECONDS);
                try (AsynchronousSocketChannel accepted = accepting.get(10, TimeUnit.SECONDS)) {
                    System.out.println("STATUS aio client=" + Mptcp.status(client) + " accepted=" + Mptcp.status(accepted)
                            + " listener=" + Mptcp.status(listener));
                    walk("aio", "client", "default", client);
                    walk("aio", "accepted", "default", accepted);
                    walk("aio", "listener", "default", listener);
                }
            }
        }
        System.out.println("OK walked");
    }

    private static Socket connected(Socket s, InetAddress host, int port) throws java.io.IOException {
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    private static List<SocketOption<?>> sorted(java.util.Set<SocketOption<?>> options) {
        List<SocketOption<?>> l = new ArrayList<>(options);
        l.sort(Comparator.comparing(SocketOption::name));
        return l;
    }

    private static void walk(String api, String kind, String family, NetworkChannel ch) {
        List<SocketOption<?>> options = sorted(ch.supportedOptions());
        for (SocketOption<?> o : options) {
            System.out.println("OPT " + api + " " + kind + " " + family + " " + o.name() + " first read: " + read(() -> ch.getOption(o), o));
        }
        for (SocketOption<?> o : options) {
            attempt(api, kind, family, o, ch);
        }
    }

    /**
     * A read before this walk sets the option: whether it works, and for boolean options the value (numbers
     * such as buffer sizes are the kernel's own and differ between TCP and MPTCP sockets).
     */
    private static String read(Read get, SocketOption<?> o) {
        try {
            Object v = get.get();
            return o.type() == Boolean.class || o.name().equals("IP_TOS") ? "get=" + v : "get=ok";
        } catch (Exception e) {
            return "get=ERR(" + e.getMessage() + ")";
        }
    }

    @SuppressWarnings("unchecked")
    private static void attempt(String api, String kind, String family, SocketOption<?> o, Object target) {
        Object value = valueFor(o);
        if (value == null && !READ_ONLY.contains(o.name())) {
            return;
        }
        String set = "-"; // read-only: get only
        if (value != null) {
            try {
                if (target instanceof NetworkChannel) {
                    ((NetworkChannel) target).setOption((SocketOption<Object>) o, value);
                } else {
                    ((ServerSocket) target).setOption((SocketOption<Object>) o, value);
                }
                set = "ok";
            } catch (Exception e) {
                set = "ERR(" + e.getMessage() + ")";
            }
        }
        String get;
        try {
            get = String.valueOf(target instanceof NetworkChannel ? ((NetworkChannel) target).getOption(o) : ((ServerSocket) target).getOption(o));
        } catch (Exception e) {
            get = "ERR(" + e.getMessage() + ")";
        }
        System.out.println("OPT " + api + " " + kind + " " + family + " " + o.name() + "=" + value + " set=" + set + " get=" + get);
    }

    private static void legacy(String api, String kind, String family, Socket s) {
        for (SocketOption<?> o : sorted(s.supportedOptions())) {
            System.out.println("OPT " + api + " " + kind + " " + family + " " + o.name() + " first read: " + read(() -> s.getOption(o), o));
        }
        line(api, kind, family, "getOOBInline first read", () -> { }, s::getOOBInline);
        line(api, kind, family, "getTrafficClass first read", () -> { }, s::getTrafficClass);
        line(api, kind, family, "setOOBInline", () -> s.setOOBInline(true), s::getOOBInline);
        line(api, kind, family, "setTrafficClass", () -> s.setTrafficClass(0x10), s::getTrafficClass);
        line(api, kind, family, "setReuseAddress", () -> s.setReuseAddress(true), s::getReuseAddress);
        line(api, kind, family, "setTcpNoDelay", () -> s.setTcpNoDelay(true), s::getTcpNoDelay);
        line(api, kind, family, "setKeepAlive", () -> s.setKeepAlive(true), s::getKeepAlive);
        line(api, kind, family, "setSoLinger", () -> s.setSoLinger(true, 3), s::getSoLinger);
        line(api, kind, family, "setReceiveBufferSize", () -> s.setReceiveBufferSize(65536), s::getReceiveBufferSize);
        for (SocketOption<?> o : sorted(s.supportedOptions())) {
            Object value = valueFor(o);
            if (READ_ONLY.contains(o.name())) {
                @SuppressWarnings("unchecked")
                SocketOption<Object> opt = (SocketOption<Object>) o;
                line(api, kind, family, o.name(), () -> { }, () -> s.getOption(opt));
            } else if (value != null) {
                @SuppressWarnings("unchecked")
                SocketOption<Object> opt = (SocketOption<Object>) o;
                line(api, kind, family, o.name(), () -> s.setOption(opt, value), () -> s.getOption(opt));
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private interface Read {
        Object get() throws Exception;
    }

    private static void line(String api, String kind, String family, String what, Call set, Read get) {
        String s;
        try {
            set.run();
            s = "ok";
        } catch (Exception e) {
            s = "ERR(" + e.getMessage() + ")";
        }
        String g;
        try {
            g = String.valueOf(get.get());
        } catch (Exception e) {
            g = "ERR(" + e.getMessage() + ")";
        }
        System.out.println("OPT " + api + " " + kind + " " + family + " " + what + " set=" + s + " get=" + g);
    }

    /** Options that can only be read: walked with getOption alone. */
    private static final java.util.Set<String> READ_ONLY = java.util.Set.of("SO_INCOMING_NAPI_ID", "SO_PEERCRED");

    /** A non-default test value for options of a simple type; null to skip. */
    private static Object valueFor(SocketOption<?> o) {
        switch (o.name()) {
            case "SO_RCVBUF":
            case "SO_SNDBUF": return 65536;
            case "SO_LINGER": return 3;
            case "IP_TOS": return 0x10;
            case "TCP_KEEPIDLE": return 30;
            case "TCP_KEEPINTERVAL": return 5;
            case "TCP_KEEPCOUNT": return 4;
            case "SO_INCOMING_NAPI_ID":
            case "SO_PEERCRED": return null; // read-only
            default:
                if (o.type() == Boolean.class) {
                    return Boolean.TRUE;
                }
                if (o.type() == Integer.class) {
                    return 1;
                }
                return null;
        }
    }
}
