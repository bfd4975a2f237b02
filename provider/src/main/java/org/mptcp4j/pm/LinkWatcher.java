package org.mptcp4j.pm;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>What it takes away survives its death: each endpoint is written to a journal outside the process
 * ({@code /run/mptcp4j/netns-COOKIE/parked}, see {@code mptcp4j.stateDir}) before it is deleted, and
 * struck out only once it is back. The next watcher, or the next {@code mptcp4j endpoint} command,
 * puts back what is due, never twice (an endpoint the kernel has again is only struck out). One watcher
 * per namespace: a second one is refused while the first lives (a lock the kernel drops with its process).
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
    private final ParkedEndpoints journal;
    private final java.nio.channels.FileLock lock;
    private final Map<Integer, Boolean> running = new HashMap<>();
    private final Thread thread;

    private LinkWatcher(PathManager pm, NetlinkSocket socket, Consumer<String> log, ParkedEndpoints journal,
                        java.nio.channels.FileLock lock) {
        this.pm = pm;
        this.socket = socket;
        this.log = log;
        this.journal = journal;
        this.lock = lock;
        this.thread = new Thread(this::loop, "mptcp4j-link-watcher");
        thread.setDaemon(true);
    }

    /**
     * Starts watching this namespace's links; {@code log} receives one line per action. First puts back
     * what an earlier watcher parked, where the link is up again. Refused while another watcher runs here.
     */
    public static LinkWatcher start(Consumer<String> log) throws IOException {
        PathManager pm = PathManager.open();
        NetlinkSocket s = null;
        java.nio.channels.FileLock lock = null;
        try {
            ParkedEndpoints journal = ParkedEndpoints.here();
            lock = journal.lockWatcher();
            s = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
            s.join(RTNLGRP_LINK); // before recovering: a link that changes meanwhile is an event, not a miss
            s.receiveTimeoutMillis(200);
            journal.recover(pm, log);
            LinkWatcher w = new LinkWatcher(pm, s, log, journal, lock);
            w.thread.start();
            return w;
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close();
            }
            if (lock != null) {
                lock.channel().close();
            }
            pm.close();
            throw e;
        }
    }

    /** The endpoints parked in this namespace (taken off links that are down), by a watcher alive or dead. */
    public static List<Endpoint> parked() throws IOException {
        List<Endpoint> out = new ArrayList<>();
        for (ParkedEndpoints.Parked p : ParkedEndpoints.here().all()) {
            out.add(p.endpoint());
        }
        return out;
    }

    /**
     * When no watcher runs here, puts back the parked endpoints whose link is up (what the operator
     * configured); the endpoint commands call it before they change anything. One line per action.
     */
    public static void restoreParked(PathManager pm, Consumer<String> log) throws IOException {
        ParkedEndpoints journal = ParkedEndpoints.here();
        if (!journal.all().isEmpty() && !journal.watched()) {
            journal.recover(pm, log);
        }
    }

    /** Forgets the parked endpoints, or the one with {@code endpoint}'s address and port: the operator decided otherwise. */
    public static void forgetParked(Optional<Endpoint> endpoint) throws IOException {
        ParkedEndpoints journal = ParkedEndpoints.here();
        if (endpoint.isPresent()) {
            journal.unpark(endpoint.get());
        } else {
            journal.clear();
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
                    journal.park(device, e); // first: a kill between the two lines loses nothing
                    pm.deleteEndpoint(e.id());
                    log.accept(device + " down: endpoint " + e + " removed, its subflows closed");
                    try {
                        // the connection's first subflow belongs to no endpoint (id 0): close it too
                        pm.deleteInitialSubflows(e.address());
                    } catch (IOException noInitialSubflow) {
                        // none on this address, or a kernel without id-0 removal
                    }
                }
            } else {
                List<Endpoint> configured = pm.endpoints();
                for (ParkedEndpoints.Parked p : journal.all()) {
                    if (!p.link().equals(device)) {
                        continue;
                    }
                    Endpoint e = p.endpoint();
                    if (configured.stream().anyMatch(k -> ParkedEndpoints.same(k, e))) {
                        log.accept(device + " up: endpoint " + e.address().getHostAddress() + " is configured already");
                    } else {
                        // under a fresh id (the journal keeps none): connections remember the old one as used and would not reopen it
                        pm.addEndpoint(e);
                        log.accept(device + " up: endpoint " + e.address().getHostAddress() + " restored, new subflows opened");
                    }
                    journal.unpark(e); // last: a kill before this line finds it configured, and only strikes it out
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
        try {
            List<Endpoint> configured = pm.endpoints();
            for (ParkedEndpoints.Parked p : journal.all()) {
                if (configured.stream().noneMatch(k -> ParkedEndpoints.same(k, p.endpoint()))) {
                    pm.addEndpoint(p.endpoint());
                }
                journal.unpark(p.endpoint());
            }
        } catch (IOException e) {
            log.accept("parked endpoints not all restored (the journal keeps them for the next watcher or endpoint command): " + e.getMessage());
        }
        try {
            lock.channel().close();
        } catch (IOException ignored) {
            // the kernel drops the lock with the process anyway
        }
        pm.close();
    }

}
