package org.mptcp4j.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.mptcp4j.Mptcp;

/**
 * {@code mptcp4j proxy}: the seed's TCP-to-MPTCP gateway and MPTCP-to-TCP reverse proxy.
 * <pre>
 *   proxy gateway --listen PORT --to HOST:PORT   plain TCP clients in, MPTCP out (to a reverse proxy)
 *   proxy reverse --listen PORT --to HOST:PORT   MPTCP (or TCP) clients in, plain TCP out (to the real server)
 * </pre>
 * One thread relays every connection ({@link ProxyLoop}); limits bound what peers can make it hold:
 * {@code --max-conns N} (4096), {@code --idle SEC} (300; 0 for none), {@code --connect-timeout SEC} (10).
 */
final class Proxy {
    private Proxy() {}

    static final String USAGE = "usage: mptcp4j proxy gateway|reverse --listen PORT --to HOST:PORT [--max-conns N] [--idle SEC] "
            + "[--connect-timeout SEC]";

    static int run(Args args, PrintStream out) throws Exception {
        String kind = args.next();
        if (!"gateway".equals(kind) && !"reverse".equals(kind)) {
            throw new UsageException("proxy needs gateway or reverse, got " + kind + "; " + USAGE);
        }
        Integer listen = null;
        InetSocketAddress to = null;
        int maxConns = 4096;
        int idle = 300;
        int connectTimeout = 10;
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "--listen": case "-l": listen = Args.port(args.value(a)); break;
                case "--to": to = hostPort(args.value(a)); break;
                case "--max-conns": maxConns = args.intValue(a, 1, 1_000_000); break;
                case "--idle": idle = args.intValue(a, 0, 86_400); break;
                case "--connect-timeout": connectTimeout = args.intValue(a, 1, 3_600); break;
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
            new ProxyLoop(listener, to, gateway, new ProxyLoop.Limits(maxConns, idle * 1000L, connectTimeout * 1000L), out).run();
            return 0;
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
