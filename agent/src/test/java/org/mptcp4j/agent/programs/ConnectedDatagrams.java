package org.mptcp4j.agent.programs;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import org.mptcp4j.testbed.Datagrams;
import org.mptcp4j.testbed.MptcpMBean;

/**
 * Unmodified UDP clients that connect before they send (DNS and StatsD clients, the "which local address" idiom):
 * a DatagramChannel, a DatagramSocket connected to a SocketAddress and one to an InetAddress and port, each sending
 * one datagram to a receiver on {@code HOST}, each made just after a TCP listener and an unconnected TCP client were
 * closed (so its fd number was a stream socket's a moment before). Prints {@code OK a b c} once the receiver has all three,
 * then the agent's converted count.
 */
public final class ConnectedDatagrams {
    public static void main(String[] args) throws Exception {
        try (DatagramChannel rx = DatagramChannel.open()) {
            rx.bind(new InetSocketAddress(args[0], 0));
            InetSocketAddress to = (InetSocketAddress) rx.getLocalAddress();
            streamSocketsOpenedAndClosed();
            try (DatagramChannel c = DatagramChannel.open()) {
                c.connect(to);
                c.write(ByteBuffer.wrap(new byte[] {'a'}));
            }
            streamSocketsOpenedAndClosed();
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(to);
                s.send(new DatagramPacket(new byte[] {'b'}, 1));
            }
            streamSocketsOpenedAndClosed();
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(InetAddress.getByName(args[0]), to.getPort());
                s.send(new DatagramPacket(new byte[] {'c'}, 1));
            }
            System.out.println("OK " + Datagrams.firstBytes(rx, 3));
        }
        System.out.println("MBEAN converted=" + MptcpMBean.await(10).getAttribute(MptcpMBean.NAME, "Converted"));
    }

    /** A listener and a client that never connects, closed: the lowest free fd numbers were theirs. */
    private static void streamSocketsOpenedAndClosed() throws Exception {
        new ServerSocket(0).close();
        new Socket().close();
        SocketChannel.open().close();
    }
}
