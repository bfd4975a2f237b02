package org.mptcp4j.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a woven-class cache ahead, for an image build: run under the agent with
 * {@code -Dmptcp4j.agent.wovenCache=DIR -cp mptcp4j-agent.jar[:the service's jars] org.mptcp4j.agent.Prepare
 * [NETTY_PACKAGE...]}, it loads the JDK's socket classes, and Netty's under each package given ({@code io.netty},
 * gRPC's {@code io.grpc.netty.shaded.io.netty}) that the class path has, without running them; the agent weaves
 * them as they load and keeps them in DIR, with {@code java.lang.Runtime}, which it has the agent rewrite now. A
 * service started later with the same property, JDK, jars and agent takes them from there, even with a fresh or
 * read-only {@code /tmp} (docs/containers.md). A root class of the jar: it runs in the application's class loader,
 * like the program it stands in for.
 */
public final class Prepare {
    private Prepare() {}

    /** The JDK classes the agent weaves at a first socket (HookPoint's exact JDK targets but Runtime, woven later). */
    static final String[] JDK_CLASSES = {"sun.nio.ch.Net", "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl",
        "sun.nio.ch.NioSocketImpl"};

    /** Netty's classes the agent weaves, by the end of their names (HookPoint's Netty targets). */
    static final String[] NETTY_CLASSES = {".channel.unix.Socket", ".channel.epoll.Native", ".channel.epoll.LinuxSocket",
        ".channel.uring.LinuxSocket", ".channel.uring.AbstractIoUringChannel", ".channel.uring.AbstractIoUringStreamChannel",
        ".channel.unix.FileDescriptor"};

    public static void main(String[] args) throws Exception {
        String dir = System.getProperty("mptcp4j.agent.wovenCache");
        if (dir == null || dir.isEmpty()) {
            System.err.println("mptcp4j prepare: no -Dmptcp4j.agent.wovenCache=DIR given: expected the directory to fill");
            System.exit(2);
        }
        ClassLoader app = Prepare.class.getClassLoader();
        List<Class<?>> loaded = new ArrayList<>();
        for (String c : JDK_CLASSES) {
            loaded.add(Class.forName(c, false, null)); // woven by the agent as it loads, and kept
        }
        int netty = 0;
        for (String prefix : args) {
            int found = 0;
            for (String c : NETTY_CLASSES) {
                try {
                    loaded.add(Class.forName(prefix + c, false, app)); // loaded, not initialised: no native library
                    found++;
                } catch (ClassNotFoundException | LinkageError e) {
                    // not this Netty's (epoll only, no io_uring, an older line): nothing to weave
                }
            }
            if (found == 0) {
                System.err.println("mptcp4j prepare: no Netty native-transport class under " + prefix + " on the class path ("
                        + System.getProperty("java.class.path") + "): expected a Netty package such as io.netty and its jars on -cp");
                System.exit(2);
            }
            netty += found;
        }
        // what a service's agent rewrites on a background thread once the service has loaded enough classes (an
        // image's start would load ASM for it); last: the agent may stop watching class loading after it
        if (LazyAgent.weaveAheadNow()) {
            loaded.add(Runtime.class);
        }
        List<String> missing = new ArrayList<>();
        for (Class<?> c : loaded) {
            if (!kept(Path.of(dir), c)) {
                missing.add(c.getName());
            }
        }
        if (!missing.isEmpty()) {
            System.err.println("mptcp4j prepare: not kept in " + dir + ": " + String.join(", ", missing)
                    + "; expected to run under the agent (-javaagent or -agentlib:instrument), with DIR writable by this user");
            System.exit(1);
        }
        int jdk = (int) loaded.stream().filter(c -> c.getClassLoader() == null).count();
        System.out.println("mptcp4j prepare: " + jdk + " JDK classes" + (args.length == 0 ? "" : " and " + netty + " of Netty's")
                + " woven and kept in " + dir);
    }

    /**
     * Whether {@code dir} holds an entry woven from {@code c}'s class file (its CRC-32 and length name it). Runtime's
     * is woven from the bytes the JVM rebuilds for a loaded class, not its class file: any entry of it counts.
     */
    private static boolean kept(Path dir, Class<?> c) throws IOException {
        if (c == Runtime.class) {
            return any(dir, "woven-" + c.getName() + "-*");
        }
        byte[] original;
        ClassLoader l = c.getClassLoader();
        String resource = c.getName().replace('.', '/') + ".class";
        try (InputStream in = l == null ? Object.class.getResourceAsStream("/" + resource) : l.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            original = in.readAllBytes();
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(original);
        return any(dir, "woven-" + c.getName() + "-" + Long.toHexString(crc.getValue()) + "-" + original.length + "-*");
    }

    /** Whether {@code dir} holds a complete entry named by {@code glob}. */
    private static boolean any(Path dir, String glob) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().matches(".*\\.\\d+")) { // not a partial write
                    return true;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        return false;
    }
}
