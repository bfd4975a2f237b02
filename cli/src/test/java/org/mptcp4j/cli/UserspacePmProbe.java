package org.mptcp4j.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.Set;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.pm.Endpoint;
import org.mptcp4j.pm.PathManager;

/**
 * Test program for the userspace path manager: connects, then from Java opens a second subflow of
 * its own connection (by token) over another local address, and prints what info() sees.
 * Usage: UserspacePmProbe SERVER PORT LOCAL2 REMOTE2.
 */
public final class UserspacePmProbe {
    public static void main(String[] args) throws Exception {
        try (SocketChannel ch = Mptcp.strict().openSocketChannel(); PathManager pm = PathManager.open()) {
            ch.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
            ch.write(ByteBuffer.allocate(1000));
            long token = Mptcp.info(ch).orElseThrow().token();
            pm.createSubflow(token, new Endpoint(5, InetAddress.getByName(args[2]), 0, Optional.empty(), Set.of()),
                    InetAddress.getByName(args[3]), Integer.parseInt(args[1]));
            long deadline = System.nanoTime() + 10_000_000_000L;
            MptcpInfo info = Mptcp.info(ch).orElseThrow();
            while (info.establishedSubflows() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling the kernel for the new subflow
                info = Mptcp.info(ch).orElseThrow();
            }
            System.out.println("SUBFLOWS " + info.establishedSubflows() + " token=" + info.tokenHex());
            info.subflows().forEach(sf -> System.out.println("SUBFLOW " + sf.local() + " " + sf.remote() + " " + sf.interfaceName().orElse("?")));
        }
    }
}
