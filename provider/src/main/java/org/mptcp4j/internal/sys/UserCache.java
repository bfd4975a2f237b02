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
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
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

    /**
     * {@code dir} when a directory prepared ahead for every user (an image's) may be trusted: a directory, not a
     * link, owned by root or this user, that neither its group nor others can write; else null, with why in
     * {@code why[0]}. What is read back from it is loaded as code, as the agent's jar is.
     */
    public static Path shared(Path dir, String[] why) {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            if ((mode & 0170000) != 0040000) {
                why[0] = "not a directory";
            } else if (!uid.equals(a.get("uid")) && !Integer.valueOf(0).equals(a.get("uid"))) {
                why[0] = "owned by uid " + a.get("uid") + ", neither root nor this user (" + uid + ")";
            } else if ((mode & 022) != 0) {
                why[0] = "writable by its group or others (mode " + Integer.toOctalString(mode & 0777) + ")";
            } else {
                return dir;
            }
        } catch (IOException | RuntimeException e) {
            why[0] = "unreadable: " + e;
        }
        return null;
    }

    /**
     * {@link #read} for a {@link #shared} directory: only a regular file owned by root or this user that neither
     * its group nor others can write (a file that others can write in a directory they cannot is still theirs).
     */
    public static byte[] readShared(Path dir, String name) {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Map<String, Object> a = Files.readAttributes(dir.resolve(name), "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            boolean owner = uid.equals(a.get("uid")) || Integer.valueOf(0).equals(a.get("uid"));
            return owner && (mode & 0170000) == 0100000 && (mode & 022) == 0 ? read(dir, name) : null;
        } catch (IOException | RuntimeException e) {
            return null;
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
