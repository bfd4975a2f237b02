package org.mptcp4j.agent.programs;

import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * An agent that runs before mptcp4j's (as an APM agent listed first may): its premain opens and closes a
 * socket of each kind, so every JDK class mptcp4j rewrites is loaded before mptcp4j's premain.
 */
public final class SocketsBeforeMptcp4j {
    private SocketsBeforeMptcp4j() {}

    public static void premain(String args, Instrumentation inst) throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
        }
        ServerSocketChannel.open().close();
        SocketChannel.open().close();
    }
}
