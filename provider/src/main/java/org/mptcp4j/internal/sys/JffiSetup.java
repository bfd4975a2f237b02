package org.mptcp4j.internal.sys;

/**
 * Runs before any jffi class initialises. On JDK 24+ the memory-access methods of
 * {@code sun.misc.Unsafe} print a warning on first use (JEP 498), and jffi uses them for its
 * memory I/O by default; its JNI memory I/O does the same job for mptcp4j's few small buffers
 * without touching Unsafe, so mptcp4j selects it there unless the user already chose.
 */
final class JffiSetup {
    private JffiSetup() {}

    static {
        if (Runtime.version().feature() >= 24 && System.getProperty("jffi.unsafe.disabled") == null) {
            System.setProperty("jffi.unsafe.disabled", "true");
        }
    }

    /** Forces the static initialiser above to have run. */
    static void ensure() {
        // class initialisation does the work
    }
}
