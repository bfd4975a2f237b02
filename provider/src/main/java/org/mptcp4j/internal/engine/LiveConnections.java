package org.mptcp4j.internal.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.internal.sys.SockDiag;

/**
 * This process's open MPTCP connections, found without any bookkeeping on the connection path: the
 * namespace's MPTCP sockets from sock_diag (unprivileged), matched by inode against {@code /proc/self/fd},
 * then each one's {@code MPTCP_FULL_INFO} read through the fd this process already holds. Listeners and
 * fallbacks are left out. Whoever created the socket (library, providers, agent, another copy of
 * mptcp4j, native code) does not matter.
 */
public final class LiveConnections {
    private LiveConnections() {}

    private static final int TCP_ESTABLISHED = 1;
    private static final Path FDS = Paths.get("/proc/self/fd");

    /** A snapshot, each subflow with its interface; empty when the kernel or /proc cannot be read. */
    public static List<MptcpInfo> sample() throws IOException {
        Map<Long, SockDiag.MptcpSocket> connected = new HashMap<>();
        for (int family : new int[] {SockDiag.AF_INET, SockDiag.AF_INET6}) {
            for (SockDiag.MptcpSocket s : SockDiag.mptcpSockets(family)) {
                if (s.state() == TCP_ESTABLISHED && !s.fellBack()) {
                    connected.put(s.inode(), s);
                }
            }
        }
        if (connected.isEmpty()) {
            return List.of();
        }
        List<MptcpInfo> out = new ArrayList<>();
        Interfaces interfaces = new Interfaces();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path p : fds) {
                long inode = socketInode(p);
                if (inode < 0 || !connected.containsKey(inode)) {
                    continue;
                }
                int fd = Integer.parseInt(p.getFileName().toString());
                Optional<MptcpInfo> info;
                try {
                    info = InfoReader.info(fd);
                } catch (IOException e) {
                    continue; // closed since the listing
                }
                if (info.isPresent() && socketInode(p) == inode) { // still the same socket, not a reused fd number
                    out.add(interfaces.fill(info.get()));
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The inode of the socket an fd link names ({@code socket:[123]}), or -1. */
    private static long socketInode(Path fdLink) {
        String target;
        try {
            target = Files.readSymbolicLink(fdLink).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
        return parseSocketLink(target);
    }

    /** {@code socket:[123]} gives 123; anything else -1. */
    static long parseSocketLink(String target) {
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(target.substring(8, target.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Address to interface name, listed once per sample rather than once per subflow. */
    private static final class Interfaces {
        private Map<InetAddress, String> byAddress;

        MptcpInfo fill(MptcpInfo i) {
            return InfoReader.withInterfaces(i, local -> local == null ? Optional.empty() : Optional.ofNullable(names().get(local.getAddress())));
        }

        private Map<InetAddress, String> names() {
            if (byAddress == null) {
                byAddress = new HashMap<>();
                try {
                    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                            byAddress.put(a, nif.getName());
                        }
                    }
                } catch (SocketException e) {
                    // no names this time: the subflows are still reported
                }
            }
            return byAddress;
        }
    }
}
