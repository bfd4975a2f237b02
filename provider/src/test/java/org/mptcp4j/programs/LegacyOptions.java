package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Unmodified program: what servers such as XNIO do to every accepted java.net socket (out-of-band
 * inline, reuse-address, traffic class, no-delay), then one byte echoed. Usage: LegacyOptions HOST.
 */
public final class LegacyOptions {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(0));
            try (Socket c = new Socket(args[0], server.getLocalPort()); Socket a = server.accept()) {
                for (Socket s : new Socket[] {a, c}) {
                    s.setOOBInline(false);
                    s.setReuseAddress(true);
                    s.setTrafficClass(0x10);
                    s.setTcpNoDelay(true);
                    if (s.getOOBInline() || !s.getReuseAddress() || !s.getTcpNoDelay()) {
                        System.out.println("INCONSISTENT oob=" + s.getOOBInline() + " reuse=" + s.getReuseAddress());
                        return;
                    }
                }
                c.getOutputStream().write(7);
                System.out.println("OK " + a.getInputStream().read());
            }
        }
    }
}
