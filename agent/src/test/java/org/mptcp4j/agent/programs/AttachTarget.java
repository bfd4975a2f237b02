package org.mptcp4j.agent.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A long-running unmodified program for dynamic attach: prints READY, then makes one echo
 * connection per line "go" read from stdin, printing DONE after each; exits on EOF.
 */
public final class AttachTarget {
    public static void main(String[] args) throws Exception {
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int round = 0;
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.equals("go")) {
                continue;
            }
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(0));
                try (Socket c = new Socket(args[0], server.getLocalPort()); Socket s = server.accept()) {
                    c.getOutputStream().write(42);
                    int b = s.getInputStream().read();
                    System.out.println("DONE " + (++round) + " " + b);
                }
            }
        }
    }
}
