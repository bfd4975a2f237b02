package org.mptcp4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.mptcp4j.Mptcp;

/**
 * {@code mptcp4j cat}: ncat-style, MPTCP by default ({@code --tcp} for plain TCP).
 * <pre>
 *   cat -l [-k] [-i SEC] PORT > sink   listen; write what arrives to stdout (-k: keep accepting, one
 *                                      connection at a time; -i: close a connection silent for SEC, 300 by default, 0 never)
 *   cat HOST PORT < source       connect; stdin to the socket, the socket to stdout
 * </pre>
 * Status lines go to stderr, so stdout carries only data.
 */
final class Cat {
    private Cat() {}

    static final String USAGE = "usage: mptcp4j cat [--tcp] -l [-k] [-i SEC] PORT | [--tcp] HOST PORT";

    static int run(Args args, InputStream stdin, OutputStream stdout, PrintStream err) throws Exception {
        boolean listen = false;
        boolean keep = false;
        boolean tcp = false;
        int idle = 300;
        java.util.List<String> rest = new java.util.ArrayList<>();
        while (args.hasNext()) {
            String a = args.next();
            switch (a) {
                case "-l": listen = true; break;
                case "-k": keep = true; break;
                case "--tcp": tcp = true; break;
                case "-i": case "--idle-timeout": idle = args.intValue(a, 0, 86_400); break;
                default:
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown cat option: " + a + "; " + USAGE);
                    }
                    rest.add(a);
            }
        }
        if (listen) {
            if (rest.size() != 1) {
                throw new UsageException(USAGE);
            }
            try (ServerSocketChannel listener = tcp ? ServerSocketChannel.open() : Mptcp.openServerSocketChannel()) {
                listener.bind(new InetSocketAddress(Args.port(rest.get(0))));
                err.println("mptcp4j cat: listening on " + rest.get(0) + " (" + Mptcp.status(listener) + ")");
                do {
                    try (SocketChannel conn = listener.accept()) {
                        err.println("mptcp4j cat: connection from " + conn.getRemoteAddress() + " (" + Mptcp.status(conn) + ")");
                        java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
                        long n;
                        try (Deadline d = idle == 0 ? null : Deadline.whenQuiet(Deadline.stillFor(progress::get, idle * 1000L),
                                "closed after " + idle + " s without data (-i)", java.util.List.of(conn))) {
                            try {
                                n = Relay.copy(conn, Channels.newChannel(stdout), progress);
                            } catch (IOException e) {
                                IOException why = d == null ? e : d.check(e);
                                if (why == e || !keep) {
                                    throw why;
                                }
                                err.println("mptcp4j cat: " + why.getMessage() + "; " + progress.get() + " bytes received");
                                continue; // -k: the next connection
                            }
                        }
                        stdout.flush();
                        err.println("mptcp4j cat: " + n + " bytes received");
                    }
                } while (keep);
            }
            return 0;
        }
        if (rest.size() != 2) {
            throw new UsageException(USAGE);
        }
        InetSocketAddress target = new InetSocketAddress(rest.get(0), Args.port(rest.get(1)));
        if (target.isUnresolved()) {
            throw new IOException("unknown host: " + rest.get(0));
        }
        try (SocketChannel ch = tcp ? SocketChannel.open() : Mptcp.openSocketChannel()) {
            ch.connect(target);
            err.println("mptcp4j cat: connected to " + target + " (" + Mptcp.status(ch) + ")");
            Thread reader = new Thread(() -> {
                try {
                    Relay.copy(ch, Channels.newChannel(stdout));
                    stdout.flush();
                } catch (IOException ignored) {
                    // the peer closed
                }
            }, "cat-in");
            reader.setDaemon(true);
            reader.start();
            long n = Relay.copy(Channels.newChannel(stdin), ch);
            reader.join();
            err.println("mptcp4j cat: " + n + " bytes sent");
        }
        return 0;
    }
}
