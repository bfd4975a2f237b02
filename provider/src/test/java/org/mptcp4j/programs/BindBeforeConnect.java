package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/**
 * Unmodified clients that bind a local address before connecting (a java.net.Socket to an explicit
 * port, a SocketChannel to an ephemeral one): each must connect from exactly that address and port.
 * Prints one {@code BOUND} line per client (the port it bound, the one it connected from, the one the
 * server saw), then OK. Usage: BindBeforeConnect HOST.
 */
public final class BindBeforeConnect {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(host, 0));
            int free;
            try (ServerSocket probe = new ServerSocket(0)) {
                free = probe.getLocalPort(); // an explicit port nobody holds (this namespace is the test's own)
            }
            boolean ok = true;
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(host, free));
                s.connect(server.getLocalSocketAddress(), 5000);
                try (Socket accepted = server.accept()) {
                    ok &= report("socket", free, s.getLocalPort(), accepted.getPort());
                }
            }
            try (SocketChannel ch = SocketChannel.open()) {
                ch.bind(new InetSocketAddress(host, 0));
                int bound = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                ch.connect(server.getLocalSocketAddress());
                try (Socket accepted = server.accept()) {
                    ok &= report("channel", bound, ((InetSocketAddress) ch.getLocalAddress()).getPort(), accepted.getPort());
                }
            }
            System.out.println(ok ? "OK every client kept its port" : "MOVED");
        }
    }

    private static boolean report(String what, int bound, int local, int seen) {
        System.out.println("BOUND " + what + " bound=" + bound + " local=" + local + " seenByServer=" + seen);
        return bound == local && bound == seen;
    }
}
