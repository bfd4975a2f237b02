package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * Clients that set options before connect() (when the agent decides, by default, with the destination)
 * and one that sets none. Usage: {@code OptionsBeforeConnect HOST [urgent]}; {@code urgent} adds a client
 * with SO_OOBINLINE whose server sends urgent data (TCP only). Prints each client's options as read
 * after connect, then {@code OK}: the same lines with and without the agent mean every option reached
 * the socket that carries the connection.
 */
public final class OptionsBeforeConnect {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(args[0], 0));
            InetSocketAddress to = new InetSocketAddress(args[0], server.getLocalPort());

            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 77);
            socket.setReceiveBufferSize(96 * 1024);
            socket.setOOBInline(true); // MPTCP refuses it: answered while MPTCP, given for real if the socket goes back to TCP
            socket.setTrafficClass(0x28);
            socket.connect(to);
            System.out.println("SOCKET nodelay=" + socket.getTcpNoDelay() + " keepalive=" + socket.getKeepAlive()
                    + " keepidle=" + socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE) + " rcvbuf=" + socket.getReceiveBufferSize()
                    + " oobinline=" + socket.getOOBInline() + " tclass=" + socket.getTrafficClass());

            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 13);
            channel.connect(to);
            System.out.println("CHANNEL nodelay=" + channel.getOption(StandardSocketOptions.TCP_NODELAY)
                    + " keepinterval=" + channel.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));

            Socket untouched = new Socket(to.getAddress(), to.getPort());
            System.out.println("UNTOUCHED nodelay=" + untouched.getTcpNoDelay() + " keepidle="
                    + untouched.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));

            for (int i = 0; i < 3; i++) {
                server.accept().close();
            }
            socket.close();
            channel.close();
            untouched.close();

            if (args.length > 1 && args[1].equals("urgent")) { // TCP only: MPTCP carries no urgent data
                Socket inline = new Socket();
                inline.setOOBInline(true);
                inline.connect(to);
                try (Socket accepted = server.accept()) {
                    accepted.sendUrgentData(0x42);
                    accepted.getOutputStream().write(0x43);
                }
                StringBuilder got = new StringBuilder();
                for (int b; (b = inline.getInputStream().read()) >= 0; ) {
                    got.append(Integer.toHexString(b));
                }
                inline.close();
                System.out.println("URGENT received=" + got + " (inline when SO_OOBINLINE is on in the kernel)");
            }
            System.out.println("OK options read back");
        }
    }
}
