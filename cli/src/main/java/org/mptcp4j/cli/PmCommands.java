package org.mptcp4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.mptcp4j.pm.Endpoint;
import org.mptcp4j.pm.Limits;
import org.mptcp4j.pm.LinkWatcher;
import org.mptcp4j.pm.PathManager;

/**
 * {@code mptcp4j limits|endpoint|monitor}: the kernel path manager through the Java API, with
 * {@code ip mptcp}'s syntax and output, so the seed's commands carry over word for word.
 */
final class PmCommands {
    private PmCommands() {}

    static int limits(Args args, PrintStream out) throws Exception {
        boolean json = json(args);
        try (PathManager pm = PathManager.open()) {
            if (!args.hasNext() || "show".equals(args.peek())) {
                if (args.hasNext()) {
                    args.next();
                }
                json |= json(args);
                Limits l = pm.limits();
                if (json) {
                    JsonObject o = new JsonObject(); // ip -j has no JSON for limits: the same keys as its text
                    o.addProperty("add_addr_accepted", l.addAddrAccepted());
                    o.addProperty("subflows", l.subflows());
                    out.println(o);
                } else {
                    out.println(l);
                }
                return 0;
            }
            if (!"set".equals(args.next())) {
                throw new UsageException("usage: mptcp4j limits [show] | set [subflow N] [add_addr_accepted N]");
            }
            Limits now = pm.limits();
            int subflows = now.subflows();
            int accepted = now.addAddrAccepted();
            while (args.hasNext()) {
                String k = args.next();
                switch (k) {
                    case "subflow": case "subflows": subflows = args.intValue(k, 0, 8); break;
                    case "add_addr_accepted": accepted = args.intValue(k, 0, 8); break;
                    default: throw new UsageException("unknown limit: " + k + " (expected subflow or add_addr_accepted)");
                }
            }
            pm.setLimits(new Limits(subflows, accepted));
            return 0;
        }
    }

    static int endpoint(Args args, PrintStream out, PrintStream err) throws Exception {
        boolean json = json(args);
        String verb = args.hasNext() ? args.next() : "show";
        try (PathManager pm = PathManager.open()) {
            if (!verb.equals("show")) {
                // a link watcher killed while links were down left endpoints parked: what is due comes back first
                LinkWatcher.restoreParked(pm, err::println);
            }
            switch (verb) {
                case "show":
                    if (json | json(args)) {
                        out.println(endpointsJson(pm.endpoints()));
                        return 0;
                    }
                    for (Endpoint e : pm.endpoints()) {
                        out.println(e);
                    }
                    for (Endpoint e : LinkWatcher.parked()) {
                        err.println("parked by the link watcher until its link is up: " + e.toString().replace(" id 0", ""));
                    }
                    return 0;
                case "flush":
                    pm.flushEndpoints();
                    LinkWatcher.forgetParked(Optional.empty()); // none means none: parked ones do not come back either
                    return 0;
                case "delete": case "del": {
                    if (!"id".equals(args.next())) {
                        throw new UsageException("usage: mptcp4j endpoint delete id N");
                    }
                    int id = args.intValue("id", 1, 255);
                    Optional<Endpoint> deleted = pm.endpoints().stream().filter(e -> e.id() == id).findFirst();
                    pm.deleteEndpoint(id);
                    if (deleted.isPresent()) {
                        LinkWatcher.forgetParked(deleted); // deleted on purpose: a journal entry for it must not bring it back
                    }
                    return 0;
                }
                case "add": {
                    String text = args.next();
                    if (text == null || !text.matches("[0-9a-fA-F:.]+")) {
                        throw new UsageException("bad endpoint address: " + text + " (expected an IPv4 or IPv6 address)");
                    }
                    InetAddress addr = InetAddress.getByName(text);
                    int id = 0;
                    int port = 0;
                    Optional<String> dev = Optional.empty();
                    Set<Endpoint.Flag> flags = EnumSet.noneOf(Endpoint.Flag.class);
                    while (args.hasNext()) {
                        String k = args.next();
                        switch (k) {
                            case "id": id = args.intValue(k, 1, 255); break;
                            case "port": port = args.intValue(k, 1, 65535); break;
                            case "dev": dev = Optional.of(args.value(k)); break;
                            default:
                                try {
                                    flags.add(Endpoint.Flag.parse(k));
                                } catch (IllegalArgumentException e) {
                                    throw new UsageException(e.getMessage());
                                }
                        }
                    }
                    pm.addEndpoint(new Endpoint(id, addr, port, dev, flags));
                    return 0;
                }
                default:
                    throw new UsageException("unknown endpoint command: " + verb + " (expected add, delete, show or flush)");
            }
        }
    }

    /**
     * Runs the link watcher until stopped, one line per action. SIGTERM or SIGINT puts back what it
     * parked (a shutdown hook); SIGKILL leaves it in the journal for the next watcher or endpoint command.
     */
    static int watch(Args args, PrintStream out) throws Exception {
        LinkWatcher w = LinkWatcher.start(line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(w::close, "mptcp4j-watch-stop"));
        out.println("watching links: endpoints follow their interface's carrier");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    /** Prints events until killed (or until {@code -n COUNT} events). */
    static int monitor(Args args, PrintStream out, PrintStream err) throws Exception {
        int limit = Integer.MAX_VALUE;
        boolean json = false;
        while (args.hasNext()) {
            String a = args.next();
            if (a.equals("-n")) {
                limit = args.intValue(a, 1, 1_000_000);
            } else if (a.equals("-j") || a.equals("--json")) {
                json = true;
            } else {
                throw new UsageException("unknown monitor option: " + a + " (expected -n COUNT, -j)");
            }
        }
        boolean lines = json;
        CountDownLatch done = new CountDownLatch(limit == Integer.MAX_VALUE ? 1 : limit);
        try (PathManager pm = PathManager.open(); PathManager.Subscription s = pm.subscribe(e -> {
            synchronized (out) {
                out.println(lines ? eventJson(e) : e);
                out.flush();
            }
            done.countDown();
        })) {
            PrintStream notice = json ? err : out; // JSON lines on stdout hold events only
            notice.println("monitoring MPTCP events (mptcp_pm_events)");
            notice.flush();
            done.await();
        }
        return 0;
    }

    /** One event as one line of JSON (JSON lines: a stream a script reads line by line). */
    static JsonObject eventJson(org.mptcp4j.pm.MptcpEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("type", e.type().name().toLowerCase(java.util.Locale.ROOT));
        if (e.token() != 0) { // listener events have none
            o.addProperty("token", Long.toHexString(e.token()));
        }
        o.addProperty("local_id", e.localId());
        o.addProperty("remote_id", e.remoteId());
        e.source().ifPresent(a -> o.addProperty("saddr", a.getHostAddress()));
        o.addProperty("sport", e.sourcePort());
        e.destination().ifPresent(a -> o.addProperty("daddr", a.getHostAddress()));
        o.addProperty("dport", e.destinationPort());
        o.addProperty("ifindex", e.interfaceIndex());
        o.addProperty("error", e.error());
        o.addProperty("backup", e.backup());
        o.addProperty("server_side", e.serverSide());
        return o;
    }

    /** Consumes a {@code -j}/{@code --json} at this point of the arguments. */
    private static boolean json(Args args) {
        if (args.hasNext() && ("-j".equals(args.peek()) || "--json".equals(args.peek()))) {
            args.next();
            return true;
        }
        return false;
    }

    /** The endpoints as {@code ip -j mptcp endpoint show} writes them: address, port, id, a true per flag, dev. */
    static JsonArray endpointsJson(List<Endpoint> endpoints) {
        JsonArray a = new JsonArray();
        for (Endpoint e : endpoints) {
            JsonObject o = new JsonObject();
            o.addProperty("address", e.address().getHostAddress());
            if (e.port() != 0) {
                o.addProperty("port", e.port());
            }
            o.addProperty("id", e.id());
            for (Endpoint.Flag f : java.util.EnumSet.copyOf(e.flags().isEmpty() ? java.util.EnumSet.noneOf(Endpoint.Flag.class) : e.flags())) {
                o.addProperty(f.name().toLowerCase(java.util.Locale.ROOT), true);
            }
            e.device().ifPresent(d -> o.addProperty("dev", d));
            a.add(o);
        }
        return a;
    }
}
