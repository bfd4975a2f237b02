package org.mptcp4j.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fills a woven-class cache ahead, for an image build: run under the agent with
 * {@code -Dmptcp4j.agent.wovenCache=DIR -cp mptcp4j-agent.jar org.mptcp4j.agent.Prepare}, it loads the JDK's
 * socket classes, which the agent weaves as they load and keeps in DIR; a service started later with the same
 * property, JDK and agent takes them from there, even with a fresh or read-only {@code /tmp} (docs/containers.md).
 * A root class of the jar: it runs in the application's class loader, like the program it stands in for.
 */
public final class Prepare {
    private Prepare() {}

    /** The JDK classes the agent weaves at a first socket (HookPoint's exact JDK targets but Runtime, woven later). */
    static final String[] JDK_CLASSES = {"sun.nio.ch.Net", "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl",
        "sun.nio.ch.NioSocketImpl"};

    public static void main(String[] args) throws Exception {
        String dir = System.getProperty("mptcp4j.agent.wovenCache");
        if (dir == null || dir.isEmpty()) {
            System.err.println("mptcp4j prepare: no -Dmptcp4j.agent.wovenCache=DIR given: expected the directory to fill");
            System.exit(2);
        }
        for (String c : JDK_CLASSES) {
            Class.forName(c, false, null); // woven by the agent as it loads, and kept
        }
        int kept = 0;
        for (String c : JDK_CLASSES) {
            kept += kept(Path.of(dir), c) ? 1 : 0;
        }
        if (kept != JDK_CLASSES.length) {
            System.err.println("mptcp4j prepare: " + kept + " of " + JDK_CLASSES.length + " JDK classes kept in " + dir
                    + ": expected to run under the agent (-javaagent or -agentlib:instrument), with DIR writable by this user");
            System.exit(1);
        }
        System.out.println("mptcp4j prepare: " + kept + " woven JDK classes kept in " + dir);
    }

    /** Whether {@code dir} holds an entry woven from this JDK's class file (its CRC-32 and length name it). */
    private static boolean kept(Path dir, String className) throws IOException {
        byte[] original;
        try (java.io.InputStream in = Object.class.getResourceAsStream("/" + className.replace('.', '/') + ".class")) {
            original = in.readAllBytes();
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(original);
        String glob = "woven-" + className + "-" + Long.toHexString(crc.getValue()) + "-" + original.length + "-*";
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
