package org.mptcp4j.benchmarks.programs;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Start-up with one real connection: what an agent's lazy parts cost when a program does open a socket. */
public final class FirstSocket {
    public static void main(String[] args) throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            try (Socket c = new Socket("127.0.0.1", s.getLocalPort()); Socket a = s.accept()) {
                c.getOutputStream().write(1);
                System.out.println("read " + a.getInputStream().read());
            }
        }
    }
}
