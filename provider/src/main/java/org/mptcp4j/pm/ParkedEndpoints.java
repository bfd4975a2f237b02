package org.mptcp4j.pm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.mptcp4j.internal.policy.Setting;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * The endpoints a link watcher took away from links that went down, in a file outside any process
 * ({@code /run/mptcp4j/netns-COOKIE/parked}), so that a watcher killed at any moment loses nothing:
 * an endpoint is written here before it is deleted from the kernel and struck out only after it is
 * back. Whoever comes next (a restarted watcher, or any {@code mptcp4j endpoint} command) puts back
 * what is due. The directory is per network namespace, named by its cookie, which the kernel never
 * reuses (an inode would be). {@code watcher.lock} there is held by the one watcher of the namespace.
 */
final class ParkedEndpoints {
    private static final long SO_NETNS_COOKIE = 71;

    private final Path dir;
    private final Path file;
    private final Path journalLock;

    /** An endpoint taken off {@code link} when it went down (the endpoint may name no device itself). */
    record Parked(String link, Endpoint endpoint) {}

    private ParkedEndpoints(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("parked");
        this.journalLock = dir.resolve("journal.lock");
    }

    /** This network namespace's journal (the directory is made on first use, root-only). */
    static ParkedEndpoints here() throws IOException {
        Path root = Paths.get(Setting.STATE_DIR.value());
        Path dir = root.resolve("netns-" + namespaceId());
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new IOException("cannot keep link-watcher state in " + dir + " (" + e + "); set -D" + Setting.STATE_DIR.property()
                    + " to a writable directory", e);
        }
        return new ParkedEndpoints(dir);
    }

    Path directory() {
        return dir;
    }

    /** The namespace's cookie (Linux 5.14+); on older kernels the inode of /proc/self/ns/net. */
    static String namespaceId() throws IOException {
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM, 0);
        try {
            int[] halves = NativeSockets.getIntsOption(fd, Linux.SOL_SOCKET, (int) SO_NETNS_COOKIE, 2);
            return Long.toUnsignedString(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder())
                    .putInt(halves[0]).putInt(halves[1]).getLong(0));
        } catch (ErrnoException e) {
            String link = Files.readSymbolicLink(Paths.get("/proc/self/ns/net")).toString(); // net:[4026531840]
            return "ino" + link.replaceAll("\\D", "");
        } finally {
            NativeSockets.closeQuietly(fd);
        }
    }

    /** The watcher lock: held for the watcher's life, released by the kernel when its process dies, however it dies. */
    FileLock lockWatcher() throws IOException {
        Path lock = dir.resolve("watcher.lock");
        FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // this JVM has one already
        }
        if (l == null) {
            String pid = new String(Files.readAllBytes(lock), StandardCharsets.US_ASCII).trim();
            ch.close();
            throw new IOException("another link watcher" + (pid.isEmpty() ? "" : " (pid " + pid + ")")
                    + " is watching this network namespace; one is enough");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return l;
    }

    /** Whether a watcher holds this namespace now. */
    boolean watched() throws IOException {
        Path lock = dir.resolve("watcher.lock");
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM runs it
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** What is parked now. */
    synchronized List<Parked> all() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Parked> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                out.add(parse(line));
            }
        }
        return out;
    }

    /** Writes {@code e} down as taken off {@code link}; call before deleting it from the kernel. */
    void park(String link, Endpoint e) throws IOException {
        update(list -> {
            list.removeIf(x -> same(x.endpoint(), e));
            list.add(new Parked(link, e));
        });
    }

    /** Strikes out what has the address and port of {@code e}; call after it is back in the kernel (or the operator decided otherwise). */
    void unpark(Endpoint e) throws IOException {
        update(list -> list.removeIf(x -> same(x.endpoint(), e)));
    }

    /** Strikes out everything (the operator flushed the endpoints). */
    void clear() throws IOException {
        update(List::clear);
    }

    static boolean same(Endpoint a, Endpoint b) {
        return a.address().equals(b.address()) && a.port() == b.port();
    }

    /** Read, change, write under a lock shared with other processes; the file is replaced whole (rename), never half written. */
    private synchronized void update(Consumer<List<Parked>> change) throws IOException {
        try (FileChannel ch = FileChannel.open(journalLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock l = ch.lock()) {
            List<Parked> list = new ArrayList<>(all());
            change.accept(list);
            if (list.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            StringBuilder b = new StringBuilder();
            for (Parked e : list) {
                b.append(format(e)).append('\n');
            }
            Path tmp = dir.resolve("parked.tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the state directory " + dir + " cannot replace files atomically", e);
            }
        }
    }

    /** {@code d2 198.18.51.1 0 d2 signal,backup}: the link, then the endpoint; {@code -} for no device, no flags. */
    static String format(Parked p) {
        Endpoint e = p.endpoint();
        StringBuilder flags = new StringBuilder();
        for (Endpoint.Flag f : EnumSet.copyOf(e.flags().isEmpty() ? EnumSet.noneOf(Endpoint.Flag.class) : e.flags())) {
            flags.append(flags.length() == 0 ? "" : ",").append(f.name().toLowerCase(Locale.ROOT));
        }
        return p.link() + " " + e.address().getHostAddress() + " " + e.port() + " " + e.device().orElse("-") + " " + (flags.length() == 0 ? "-" : flags);
    }

    static Parked parse(String line) throws IOException {
        String[] all = line.trim().split(" ");
        if (all.length != 5 || !all[1].matches("[0-9a-fA-F:.]+")) {
            throw new IOException("unreadable line in the link watcher's journal: \"" + line + "\"");
        }
        String[] w = java.util.Arrays.copyOfRange(all, 1, 5);
        Set<Endpoint.Flag> flags = EnumSet.noneOf(Endpoint.Flag.class);
        if (!w[3].equals("-")) {
            for (String f : w[3].split(",")) {
                flags.add(Endpoint.Flag.parse(f));
            }
        }
        return new Parked(all[0], new Endpoint(0, InetAddress.getByName(w[0]), Integer.parseInt(w[1]),
                w[2].equals("-") ? Optional.empty() : Optional.of(w[2]), flags));
    }

    /**
     * Puts back, under fresh ids, the parked endpoints whose interface is up now, and strikes out those
     * the kernel already has again (re-added meanwhile: never a duplicate). The rest stays parked.
     * Returns what stays parked.
     */
    List<Parked> recover(PathManager pm, Consumer<String> log) throws IOException {
        List<Parked> stays = new ArrayList<>();
        List<Endpoint> kernel = pm.endpoints(); // once: the entries have distinct addresses, adding one changes no other's answer
        for (Parked p : all()) {
            Endpoint e = p.endpoint();
            boolean configured = false;
            for (Endpoint k : kernel) {
                configured |= same(k, e);
            }
            if (configured) {
                unpark(e);
                log.accept("endpoint " + e.address().getHostAddress() + " is configured again: no longer parked");
            } else if (running(p.link())) {
                pm.addEndpoint(e);
                unpark(e);
                log.accept(p.link() + " is up: endpoint " + e.address().getHostAddress() + " restored (parked by an earlier watcher)");
            } else {
                stays.add(p);
            }
        }
        return stays;
    }

    /** IFF_UP and IFF_RUNNING (carrier), as the JDK reads them. */
    static boolean running(String device) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(device);
            return nif != null && nif.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}
