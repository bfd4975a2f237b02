package org.mptcp4j.internal.sys;

/**
 * Module reads and opens granted through mptcp4j's JNI library, with the JDK's own
 * {@code jdk.internal.module.Modules}: what {@code Instrumentation.redefineModule} does for each of them,
 * without the lambdas and method-handle constants its argument checks link at their first use. The agent
 * grants itself what it needs this way where the library is loaded. Internal.
 */
public final class ModuleAccess {
    private ModuleAccess() {}

    /**
     * Makes {@code from} read {@code to}: false where the JNI library is not loaded (nothing done). Throws the
     * JVM's LinkageError where this JDK has no such method.
     */
    public static boolean addReads(Module from, Module to) {
        if (!Jni.LOADED) {
            return false;
        }
        Jni.addReads(from, to);
        return true;
    }

    /** What opens the JDK's packages to mptcp4j when reflection first needs them (the agent's), until it has run. */
    private static volatile Runnable opener;

    /**
     * Defers opening the JDK's packages until mptcp4j first reflects into them ({@link #beforeReflection}): a
     * program whose sockets need no JDK field never pays for it.
     */
    public static void openWhenNeeded(Runnable opensThePackages) {
        opener = opensThePackages;
    }

    /**
     * Runs the deferred opener, once, before mptcp4j's first reflective access into the JDK; a thread arriving
     * meanwhile waits for it, so no lookup sees the packages still closed.
     */
    public static void beforeReflection() {
        if (opener == null) {
            return;
        }
        synchronized (ModuleAccess.class) {
            Runnable r = opener;
            if (r != null) {
                try {
                    r.run();
                } finally {
                    opener = null; // a failure shows as the lookup's own "not open" error, once per class
                }
            }
        }
    }

    /** The agent's: whether java.lang is open to mptcp4j for its JNI library's load (see {@link #beforeLibraryLoad}). */
    private static volatile java.util.function.BooleanSupplier javaLangOpened;

    /**
     * Asks {@code javaLangOpened} right before mptcp4j would load its JNI library with {@code System.load}; true (it
     * opened {@code java.lang} to this module) has the library loaded with {@code Runtime.load0} for mptcp4j's own
     * class instead: what {@code System.load} does, without the check of the caller's native access that JDK 24+ makes
     * there (the library binds its natives as it loads, so there is none at binding either). The agent's way to need
     * no {@code --enable-native-access}. Takes effect only before mptcp4j's first native call.
     */
    public static void beforeLibraryLoad(java.util.function.BooleanSupplier javaLangOpened) {
        ModuleAccess.javaLangOpened = javaLangOpened;
    }

    static boolean libraryThroughJavaBase() {
        java.util.function.BooleanSupplier s = javaLangOpened;
        return s != null && s.getAsBoolean();
    }

    /** Opens package {@code pkg} of {@code module} to {@code to}: false where the JNI library is not loaded; as {@link #addReads}. */
    public static boolean addOpens(Module module, String pkg, Module to) {
        if (!Jni.LOADED) {
            return false;
        }
        Jni.addOpens(module, pkg, to);
        return true;
    }
}
