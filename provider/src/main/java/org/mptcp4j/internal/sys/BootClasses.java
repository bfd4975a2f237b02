package org.mptcp4j.internal.sys;

/**
 * Defines a class in the JVM's boot loader with JNI's DefineClass, through mptcp4j's own library: how the
 * agent puts its hook where {@code java.base} can call it without opening {@code jdk.internal.misc} for
 * {@code Unsafe.defineClass} and without the method handles that call takes on JDK 18+. Internal.
 */
public final class BootClasses {
    private BootClasses() {}

    /**
     * Class {@code name} (binary name) defined by the boot loader from {@code bytes}, or null where mptcp4j's
     * JNI library is not loaded (jffi calls C functions only, not the JNI environment). Throws the JVM's
     * LinkageError (a duplicate definition, a bad class file) as defineClass would.
     */
    public static Class<?> define(String name, byte[] bytes) {
        return Jni.LOADED ? Jni.defineBootClass(name.replace('.', '/'), bytes) : null;
    }
}
