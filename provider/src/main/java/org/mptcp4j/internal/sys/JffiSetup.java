package org.mptcp4j.internal.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs before any jffi class initialises.
 *
 * <p>On JDK 24+ the memory-access methods of {@code sun.misc.Unsafe} print a warning on first use
 * (JEP 498), and jffi uses them for its memory I/O by default; its JNI memory I/O does the same job for
 * mptcp4j's few small buffers without touching Unsafe, so mptcp4j selects it there unless the user
 * already chose.
 *
 * <p>jffi extracts its native stub from its jar into a new temporary file on every start, naming it
 * with SecureRandom (whose set-up is most of the cost). Unless the user placed the stub
 * ({@code jffi.boot.library.path}, {@code jffi.extract.dir}), mptcp4j keeps one copy per user in
 * {@code java.io.tmpdir/mptcp4j-UID}, a directory only that user can write, checks it (length, CRC-32, Adler-32)
 * against the jar's and points jffi at it while its stub loads ({@link #loaded()}). Anything unexpected
 * leaves jffi to its own way.
 */
final class JffiSetup {
    private JffiSetup() {}

    /** What this class set {@code jffi.boot.library.path} to, until jffi has read it. */
    private static String bootPath;

    static {
        if (Runtime.version().feature() >= 24 && System.getProperty("jffi.unsafe.disabled") == null) {
            System.setProperty("jffi.unsafe.disabled", "true");
        }
        if (System.getProperty("jffi.boot.library.path") == null && System.getProperty("jffi.extract.dir") == null
                && System.getProperty("jffi.extract.name") == null) {
            Path dir = cachedStub(Path.of(System.getProperty("java.io.tmpdir")));
            if (dir != null) {
                bootPath = dir.toString();
                System.setProperty("jffi.boot.library.path", bootPath);
            }
        }
    }

    /**
     * jffi's stub is loaded: the property goes again, so that an application's own jffi (another version,
     * another loader) finds the system as it left it.
     */
    static synchronized void loaded() {
        if (bootPath != null && bootPath.equals(System.getProperty("jffi.boot.library.path"))) {
            System.clearProperty("jffi.boot.library.path");
        }
        bootPath = null;
    }

    /** Forces the static initialiser above to have run. */
    static void ensure() {
        // class initialisation does the work
    }

    /** The private directory under {@code tmp} holding a copy of jffi's stub identical to the jar's, or null. */
    static Path cachedStub(Path tmp) {
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> null; // other architectures: jffi's own way
        };
        if (arch == null || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            ClassLoader jffi = Class.forName("com.kenai.jffi.Version", false, JffiSetup.class.getClassLoader()).getClassLoader();
            byte[] stub;
            try (InputStream in = jffi.getResourceAsStream("jni/" + arch + "-Linux/libjffi-1.2.so")) {
                if (in == null) {
                    return null;
                }
                stub = in.readAllBytes();
            }
            Path dir = UserCache.directory(tmp);
            if (dir == null) {
                return null; // only a directory this user owns and no one else can write is trusted with a library to load
            }
            UserCache.keep(dir, "libjffi-1.2.so", stub);
            return dir;
        } catch (IOException | RuntimeException | ClassNotFoundException | LinkageError e) {
            return null; // read-only or odd file system, no unix view: jffi extracts as it always did
        }
    }
}
