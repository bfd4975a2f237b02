package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.mptcp4j.Mptcp;

/**
 * {@code mptcp4j proxy}: the seed's TCP-to-MPTCP gateway and MPTCP-to-TCP reverse proxy.
 * <pre>
 *   proxy gateway --listen PORT --to HOST:PORT   plain TCP clients in, MPTCP out (to a reverse proxy)
 *   proxy reverse --listen PORT --to HOST:PORT   MPTCP (or TCP) clients in, plain TCP out (to the real server)
 * </pre>
 * One thread per direction and connection; each connection is independent.
 */
final class Proxy {
    private Proxy() {}

    static final String USAGE = "usage: mptcp4j proxy gateway|reverse --listen PORT --to HOST:PORT";

    static int run(Args args, PrintStream out) throws Exception {
        String kind = args.next();
        if (!"gateway".equals(kind) && !"reverse".equals(kind)) {
            throw new UsageException("proxy needs gateway or reverse, got " + kind + "; " + USAGE);
        }
        Integer listen = null;
        InetSocketAddress to = null;
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "--listen": case "-l": listen = Args.port(args.value(a)); break;
                case "--to": to = hostPort(args.value(a)); break;
                default: throw new UsageException("unknown proxy option: " + a + "; " + USAGE);
            }
        }
        if (listen == null || to == null) {
            throw new UsageException(USAGE);
        }
        boolean gateway = kind.equals("gateway");
        try (ServerSocketChannel listener = gateway ? ServerSocketChannel.open() : Mptcp.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(listen));
            out.println("proxy " + kind + ": listening on " + listen + " (" + Mptcp.status(listener) + "), forwarding to "
                    + to.getHostString() + ":" + to.getPort() + (gateway ? " over MPTCP" : " over plain TCP"));
            out.flush();
            int n = 0;
            while (true) {
                SocketChannel in = listener.accept();
                SocketChannel upstream = null;
                try {
                    upstream = gateway ? Mptcp.openSocketChannel() : SocketChannel.open();
                    upstream.connect(to);
                    out.println("connection " + (++n) + ": in " + Mptcp.status(in) + ", out " + Mptcp.status(upstream));
                    out.flush();
                    Relay.both(in, upstream, "proxy-" + n);
                } catch (IOException e) {
                    out.println("connection " + (++n) + ": upstream " + to + " failed: " + e.getMessage());
                    out.flush();
                    Relay.closeQuietly(in);
                    if (upstream != null) {
                        Relay.closeQuietly(upstream);
                    }
                }
            }
        }
    }

    static InetSocketAddress hostPort(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("bad address: " + text + " (expected HOST:PORT)");
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        InetSocketAddress a = new InetSocketAddress(host, Args.port(text.substring(colon + 1)));
        if (a.isUnresolved()) {
            throw new UsageException("unknown host: " + host);
        }
        return a;
    }
}
