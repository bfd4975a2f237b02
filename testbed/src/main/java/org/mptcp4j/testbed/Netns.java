package org.mptcp4j.testbed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace created by this process and removed on {@link #close()}, or at JVM exit
 * (also on Ctrl-C) if still present. Names are {@code m4j-<pid>-<n>-<label>} so concurrent runs
 * never collide and leftovers are recognisable.
 */
public final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    /** Prefix of every namespace this project creates. */
    public static final String PREFIX = "m4j-";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String name : LIVE) {
                try {
                    Command.run(10, "ip", "netns", "delete", name);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            }
        }, "mptcp4j-netns-cleanup"));
    }

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates a fresh namespace with loopback up. Needs root (CAP_SYS_ADMIN). */
    public static Netns create(String label) throws IOException {
        String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + label;
        Command.run("ip", "netns", "add", name);
        LIVE.add(name);
        Netns ns = new Netns(name);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * Gives the namespace a non-loopback local address (on a veth pair inside it), so that a
     * program can connect to "another host" address without leaving the namespace.
     */
    public Netns withLocalAddress(String cidr) throws IOException {
        ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ip("addr", "add", cidr, "dev", "v0");
        ip("link", "set", "v0", "up");
        ip("link", "set", "v1", "up");
        return this;
    }

    public String name() {
        return name;
    }

    /** Runs {@code ip -n NAME args...}. */
    public String ip(String... args) throws IOException {
        return Command.run(Command.concat(List.of("ip", "-n", name), args));
    }

    /** Runs any command inside the namespace. */
    public String exec(String... argv) throws IOException {
        return Command.run(Command.concat(List.of("ip", "netns", "exec", name), argv));
    }

    /** The argv prefix that runs a command inside this namespace. */
    public List<String> execPrefix() {
        return List.of("ip", "netns", "exec", name);
    }

    public void sysctl(String key, String value) throws IOException {
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    /** Bytes received/sent by an interface in this namespace, from its kernel counters. */
    public long[] rxTxBytes(String dev) throws IOException {
        String out = exec("cat", "/sys/class/net/" + dev + "/statistics/rx_bytes", "/sys/class/net/" + dev + "/statistics/tx_bytes");
        String[] lines = out.strip().split("\\s+");
        return new long[] {Long.parseLong(lines[0]), Long.parseLong(lines[1])};
    }

    /** The kernel's MPTcpExt* (and other) SNMP counters of this namespace, by name ({@code nstat -az}). */
    public Map<String, Long> nstat() throws IOException {
        Map<String, Long> counters = new TreeMap<>();
        String out = exec("nstat", "-asz", "--json");
        // {"kernel":{"IpInReceives":12,...}}: flat enough to parse without a JSON library
        int start = out.indexOf('{', out.indexOf("kernel"));
        int end = out.indexOf('}', start);
        for (String pair : out.substring(start + 1, end).split(",")) {
            String[] kv = pair.split(":");
            if (kv.length == 2) {
                counters.put(kv[0].trim().replace("\"", ""), Long.parseLong(kv[1].trim()));
            }
        }
        return counters;
    }

    /** One counter of {@link #nstat()}, 0 when absent. */
    public long counter(String name) throws IOException {
        return nstat().getOrDefault(name, 0L);
    }

    /** Polls {@code name} until it reaches {@code atLeast} (the kernel counts as packets arrive); fails after {@code seconds}. */
    public void awaitCounter(String name, long atLeast, int seconds) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long now;
        while ((now = counter(name)) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " reached " + now + ", not " + atLeast + ", within " + seconds + " s in " + this.name);
            }
            try {
                Thread.sleep(20); // polling the kernel's counter
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** Deletes the namespace (idempotent). Interfaces in it go with it. */
    @Override
    public void close() throws IOException {
        if (LIVE.remove(name)) {
            Command.run("ip", "netns", "delete", name);
        }
    }

    /** Namespaces this process still holds (for leak checks in tests). */
    public static List<String> live() {
        return new ArrayList<>(LIVE);
    }

    /** Whether this process can create namespaces (root). */
    public static boolean canCreate() {
        try {
            String uid = Command.run(5, "id", "-u").strip();
            return "0".equals(uid);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
