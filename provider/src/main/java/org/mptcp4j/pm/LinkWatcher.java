package org.mptcp4j.pm;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mptcp4j.internal.sys.Netlink;
import org.mptcp4j.internal.sys.NetlinkSocket;

/**
 * Moves MPTCP connections off a link the moment it goes down and back onto it the moment it
 * returns, instead of waiting for TCP's retransmission timers (which back off exponentially: after
 * seconds of outage the old subflow may not retry for seconds more).
 *
 * <p>It follows link state over rtnetlink; when an interface loses carrier, the path-manager
 * endpoints bound to it are removed (the kernel then closes the subflows using them at once); when
 * it comes back, they are added again (the kernel opens new subflows for the existing connections
 * right away). Opt-in: it changes the namespace's endpoints while it runs, and needs CAP_NET_ADMIN.
 */
public final class LinkWatcher implements AutoCloseable {
    private static final int RTNLGRP_LINK = 1;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_DELLINK = 17;
    private static final int IFLA_IFNAME = 3;
    private static final int IFINFOMSG = 16; // sizeof(struct ifinfomsg)
    private static final int IFF_UP = 0x1;
    private static final int IFF_RUNNING = 0x40;

    private final PathManager pm;
    private final NetlinkSocket socket;
    private final Consumer<String> log;
    private final Map<String, List<Endpoint>> parked = new HashMap<>();
    private final Map<Integer, Boolean> running = new HashMap<>();
    private final Thread thread;

    private LinkWatcher(PathManager pm, NetlinkSocket socket, Consumer<String> log) {
        this.pm = pm;
        this.socket = socket;
        this.log = log;
        this.thread = new Thread(this::loop, "mptcp4j-link-watcher");
        thread.setDaemon(true);
    }

    /** Starts watching this namespace's links; {@code log} receives one line per action. */
    public static LinkWatcher start(Consumer<String> log) throws IOException {
        PathManager pm = PathManager.open();
        NetlinkSocket s = null;
        try {
            s = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
            s.join(RTNLGRP_LINK);
            s.receiveTimeoutMillis(200);
            LinkWatcher w = new LinkWatcher(pm, s, log);
            w.thread.start();
            return w;
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close();
            }
            pm.close();
            throw e;
        }
    }

    private void loop() {
        while (!socket.isClosed()) {
            byte[] datagram;
            try {
                datagram = socket.receive();
            } catch (SocketTimeoutException timeout) {
                continue;
            } catch (IOException e) {
                return;
            }
            for (Netlink.Message m : Netlink.split(datagram)) {
                if ((m.type() == RTM_NEWLINK || m.type() == RTM_DELLINK) && m.length() >= Netlink.HEADER + IFINFOMSG) {
                    int index = m.buffer().getInt(m.payload() + 4);  // ifinfomsg.ifi_index
                    int flags = m.buffer().getInt(m.payload() + 8);  // ifinfomsg.ifi_flags
                    Netlink.Attr name = Netlink.find(m.attributes(IFINFOMSG), IFLA_IFNAME);
                    boolean up = m.type() == RTM_NEWLINK && (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
                    if (name != null) {
                        changed(index, name.string(), up);
                    }
                }
            }
        }
    }

    private void changed(int index, String device, boolean up) {
        Boolean before = running.put(index, up);
        if (before != null && before == up) {
            return; // not a carrier change (address, MTU, ...)
        }
        try {
            if (!up) {
                List<Endpoint> mine = new ArrayList<>();
                for (Endpoint e : pm.endpoints()) {
                    if (e.device().map(device::equals).orElse(false) || onDevice(e, device)) {
                        mine.add(e);
                    }
                }
                for (Endpoint e : mine) {
                    pm.deleteEndpoint(e.id());
                    log.accept(device + " down: endpoint " + e + " removed, its subflows closed");
                    try {
                        // the connection's first subflow belongs to no endpoint (id 0): close it too
                        pm.deleteInitialSubflows(e.address());
                    } catch (IOException noInitialSubflow) {
                        // none on this address, or a kernel without id-0 removal
                    }
                }
                if (!mine.isEmpty()) {
                    parked.put(device, mine);
                }
            } else {
                List<Endpoint> back = parked.remove(device);
                if (back != null) {
                    for (Endpoint e : back) {
                        // under a fresh id: connections remember the old one as used and would not reopen it
                        Endpoint again = new Endpoint(0, e.address(), e.port(), e.device(), e.flags());
                        pm.addEndpoint(again);
                        log.accept(device + " up: endpoint " + again.address().getHostAddress() + " restored, new subflows opened");
                    }
                }
            }
        } catch (IOException e) {
            log.accept(device + (up ? " up" : " down") + ": " + e.getMessage());
        }
    }

    private static boolean onDevice(Endpoint e, String device) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(e.address());
            return nif != null && nif.getName().equals(device);
        } catch (IOException ex) {
            return false;
        }
    }

    /** Stops watching. Parked endpoints are added back, so the namespace is left as found. */
    @Override
    public void close() {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Map.Entry<String, List<Endpoint>> e : parked.entrySet()) {
            for (Endpoint ep : e.getValue()) {
                try {
                    pm.addEndpoint(ep);
                } catch (IOException ignored) {
                    // best effort on the way out
                }
            }
        }
        parked.clear();
        pm.close();
    }

}
