package com.kenai.jffi;

/**
 * The agent's replacement for jffi's class of the same name, which loads jffi's native stub. jffi's own
 * version asks the system class loader first: when the application carries jffi too, that finds the
 * application's copy, binds the native library to the application's class loader and leaves the
 * agent's classes with unlinked native methods. This one asks the agent's own loader only. The agent
 * jar carries it instead of jffi's (see the shade filter in agent/pom.xml); the library path (the
 * provider on the application's class path) keeps jffi's.
 */
final class Init {
    private static volatile boolean loaded;

    private Init() {}

    static void load() {
        if (loaded) {
            return;
        }
        try {
            Class<?> stub = Class.forName("com.kenai.jffi.internal.StubLoader", true, Init.class.getClassLoader());
            if (!(Boolean) stub.getDeclaredMethod("isLoaded").invoke(null)) {
                Throwable cause = (Throwable) stub.getDeclaredMethod("getFailureCause").invoke(null);
                throw linkError(cause);
            }
            loaded = true;
        } catch (ReflectiveOperationException e) {
            throw linkError(e);
        }
    }

    private static UnsatisfiedLinkError linkError(Throwable cause) {
        if (cause instanceof UnsatisfiedLinkError) {
            return (UnsatisfiedLinkError) cause;
        }
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(String.valueOf(cause));
        e.initCause(cause);
        return e;
    }
}
