package org.mptcp4j.internal.sys;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * A directory per user, {@code java.io.tmpdir/mptcp4j-UID}, for what one start of mptcp4j keeps for the
 * next (jffi's native stub, the agent's woven JDK classes). Only a directory the user owns and no one else
 * can write is trusted, since what is read back from it is loaded as code; anything else answers null and
 * the caller does without. Internal.
 */
public final class UserCache {
    private UserCache() {}

    private static final class Default {
        static final Path DIR = directory(Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
    }

    private static volatile Object selfUid; // null until read

    /** This process's uid as the unix view gives it, read once (a stat of {@code /proc/self}); null without that view. */
    private static Object selfUid() {
        Object uid = selfUid;
        if (uid == null) {
            try {
                selfUid = uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | RuntimeException e) {
                return null; // nothing is trusted then
            }
        }
        return uid;
    }

    /** The directory under {@code java.io.tmpdir}, created if missing; null where it is not trustworthy. */
    public static Path directory() {
        return Default.DIR;
    }

    /**
     * The private directory {@code mptcp4j-UID} under {@code tmp}, created if missing, or null. Owner, type and
     * mode come from one stat, not from the posix view's permission sets (their classes load at start-up).
     */
    public static Path directory(Path tmp) {
        try {
            Object uid = selfUid();
            if (uid == null) {
                return null;
            }
            Path dir = tmp.resolve("mptcp4j-" + uid);
            Map<String, Object> a;
            try {
                a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            }
            int mode = (Integer) a.get("mode");
            // a directory (not a link to one) of this user that no one else can enter or write: rwx------
            return uid.equals(a.get("uid")) && (mode & 0170777) == 0040700 ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null; // read-only or odd file system, no unix view
        }
    }

    private static final int DIRECTORY = 0040000;
    private static final int REGULAR_FILE = 0100000;

    /**
     * Why {@code dir}, a directory prepared ahead for every user (an image's), may not be trusted, or null when it
     * may: a directory, not a link, owned by root or this user, that neither its group nor others can write. What
     * is read back from it is loaded as code, as the agent's jar is.
     */
    public static String untrustedShared(Path dir) {
        return untrusted(dir, DIRECTORY);
    }

    /**
     * {@link #read} in a directory {@link #untrustedShared} accepts: only a regular file of the same kind (a file
     * that others can write, in a directory they cannot, is still theirs to change).
     */
    public static byte[] readShared(Path dir, String name) {
        return untrusted(dir.resolve(name), REGULAR_FILE) == null ? read(dir, name) : null;
    }

    /** Why {@code p} is not of {@code type}, owned by root or this user, and closed to writes of group and others; or null. */
    private static String untrusted(Path p, int type) {
        try {
            Object uid = selfUid();
            if (uid == null) {
                return "unreadable: no unix file attribute view";
            }
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            if ((mode & 0170000) != type) {
                return type == DIRECTORY ? "not a directory" : "not a regular file";
            }
            if (!uid.equals(a.get("uid")) && !Integer.valueOf(0).equals(a.get("uid"))) {
                return "owned by uid " + a.get("uid") + ", neither root nor this user (" + uid + ")";
            }
            return (mode & 022) != 0 ? "writable by its group or others (mode " + Integer.toOctalString(mode & 0777) + ")" : null;
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException | RuntimeException e) {
            return "unreadable: " + e;
        }
    }

    /** The content of {@code name} in {@code dir}, or null when it is missing or unreadable. */
    public static byte[] read(Path dir, String name) {
        try (FileInputStream in = new FileInputStream(dir.resolve(name).toFile())) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Makes {@code name} in {@code dir} hold {@code content}: left as it is when it already does, else written. */
    public static void keep(Path dir, String name, byte[] content) throws IOException {
        if (!sameContent(content, read(dir, name))) {
            write(dir, name, content);
        }
    }

    /**
     * Whether {@code a} and {@code b} (null: no content) hold the same bytes, by length and two checksums (64
     * bits that an accidental difference does not match); the JDK computes both natively, where a byte-for-byte
     * comparison runs interpreted at start-up.
     */
    public static boolean sameContent(byte[] a, byte[] b) {
        return a != null && b != null && a.length == b.length && crc32(a) == crc32(b) && adler32(a) == adler32(b);
    }

    public static long crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    public static long adler32(byte[] b) {
        Adler32 c = new Adler32();
        c.update(b);
        return c.getValue();
    }

    /**
     * Writes {@code name} in {@code dir} whole or not at all (a file named after this process, then renamed
     * over), so a concurrent reader sees the old content or the new. Not {@code Files.createTempFile}: its
     * SecureRandom set-up costs more than the write.
     */
    public static void write(Path dir, String name, byte[] content) throws IOException {
        Path partial = dir.resolve(name + "." + ProcessHandle.current().pid());
        try {
            try (FileOutputStream out = new FileOutputStream(partial.toFile())) {
                out.write(content);
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--")); // whatever the umask: trusted when read back
            Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
