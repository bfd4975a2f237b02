package org.mptcp4j.internal.sys;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

/**
 * The libc calls as JNI functions of mptcp4j's own small library ({@code src/main/c/mptcp4j.c}, built for
 * Linux x86_64), loaded in place of jffi where it loads: one library and one class, against jffi's stub
 * and some forty classes at the first socket. {@link #LOADED} false means jffi then (another architecture,
 * a directory that cannot hold the library, {@code -Dmptcp4j.native=jffi}). It is kept in the user's cache
 * directory ({@link UserCache}) and loaded from there, or from {@code -Dmptcp4j.nativeLibrary=PATH} (the
 * distribution's {@code lib/native/linux-x86_64/libmptcp4j.so}). Results are libc's; after a failure
 * {@link #errno()} is the call's errno. Internal.
 */
final class Jni {
    private Jni() {}

    /** What the library's {@code abi()} answers: both sides agree on every signature below. */
    private static final int ABI = 4;

    static final boolean LOADED = load();

    /** The settings this layer reads itself (policy.Setting NATIVE and NATIVE_LIBRARY: system property, else environment). */
    static final String NATIVE_PROPERTY = "mptcp4j.native";
    static final String NATIVE_VARIABLE = "MPTCP4J_NATIVE";
    static final String LIBRARY_PROPERTY = "mptcp4j.nativeLibrary";
    static final String LIBRARY_VARIABLE = "MPTCP4J_NATIVE_LIBRARY";

    private static String setting(String property, String variable) {
        String v = System.getProperty(property);
        return v != null ? v.trim() : System.getenv(variable) != null ? System.getenv(variable).trim() : null;
    }

    private static boolean load() {
        String backend = setting(NATIVE_PROPERTY, NATIVE_VARIABLE);
        if (backend != null && !backend.isEmpty() && !backend.equalsIgnoreCase("auto")) {
            if (!backend.equalsIgnoreCase("jffi")) {
                org.mptcp4j.internal.log.Log.warning("bad value for " + NATIVE_PROPERTY + ": \"" + backend + "\" (expected auto or jffi); using auto");
            } else {
                return false;
            }
        }
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return false;
        }
        try {
            if (abi() == ABI) {
                return true; // the JVM loaded the library as an agent (-agentpath: bin/mptcp4j run, the container recipe)
            }
            // another build's, loaded as an agent: this class's own library rebinds the natives as it loads
        } catch (UnsatisfiedLinkError notLoaded) {
            // the usual case: this class loads it
        }
        try {
            String given = setting(LIBRARY_PROPERTY, LIBRARY_VARIABLE); // the distribution's copy, for a noexec /tmp
            if (given != null && !given.isEmpty()) {
                load(given);
                return abi() == ABI;
            }
            byte[] lib;
            try (InputStream in = Jni.class.getResourceAsStream("native/linux-x86_64/libmptcp4j.so")) {
                if (in == null) {
                    return false; // built without it
                }
                lib = in.readAllBytes();
            }
            Path dir = UserCache.directory();
            if (dir == null) {
                return false;
            }
            // one file per loader that loads it: the JVM ties a native library to one class loader
            ClassLoader loader = Jni.class.getClassLoader();
            String owner = loader == null || loader.getName() == null ? "" : "-" + loader.getName();
            String name = "libmptcp4j-" + Long.toHexString(UserCache.crc32(lib)) + owner + ".so";
            UserCache.keep(dir, name, lib);
            load(dir.resolve(name).toString());
            return abi() == ABI;
        } catch (IOException | RuntimeException | LinkageError e) {
            return false; // noexec /tmp, another loader holds it, a relocated copy of this class: jffi does the calls
        }
    }

    /** System.load, or where the agent opened java.lang for it ({@link ModuleAccess#beforeLibraryLoad}) the same through java.base. */
    private static void load(String path) {
        if (ModuleAccess.libraryThroughJavaBase()) {
            try {
                MethodHandle load0 = MethodHandles.privateLookupIn(Runtime.class, MethodHandles.lookup())
                        .findVirtual(Runtime.class, "load0", MethodType.methodType(void.class, Class.class, String.class));
                load0.invokeExact(Runtime.getRuntime(), (Class<?>) Jni.class, path); // for this class's loader, as System.load
                return;
            } catch (ReflectiveOperationException e) {
                // a JDK whose Runtime has no load0(Class, String): System.load, with its warning
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        System.load(path);
    }

    static native int abi();

    static native int errno();

    /** JNI DefineClass with no loader: {@code internalName} ("a/b/C") defined by the boot loader; throws what the JVM throws. */
    static native Class<?> defineBootClass(String internalName, byte[] bytes);

    /** {@code FileDescriptor.fd} of a non-null {@code descriptor}; throws NoSuchFieldError on a JDK without that field. */
    static native int fdOf(java.io.FileDescriptor descriptor);

    /** {@code jdk.internal.module.Modules.addReads(from, to)}; throws what the JVM throws (NoSuchMethodError: no such method). */
    static native void addReads(Module from, Module to);

    /** {@code jdk.internal.module.Modules.addOpens(module, pkg, to)}; throws what the JVM throws. */
    static native void addOpens(Module module, String pkg, Module to);

    static native int socket(int domain, int type, int protocol);

    static native int dup3(int oldFd, int newFd, int flags);

    static native int close(int fd);

    static native int fcntl(int fd, int cmd, int arg);

    static native int getsockopt(int fd, int level, int name, long value, long length);

    static native int setsockopt(int fd, int level, int name, long value, int length);

    /** getsockopt of one int: the value as an unsigned 32-bit number, or -1 ({@link #errno()}). */
    static native long getIntOption(int fd, int level, int name);

    static native int setIntOption(int fd, int level, int name, int value);

    static native int bind(int fd, long address, int length);

    static native int getsockname(int fd, long address, long length);

    static native int getpeername(int fd, long address, long length);

    static native int epollCtl(int epfd, int op, int fd, long event);

    static native long send(int fd, long buf, long length, int flags);

    static native long recv(int fd, long buf, long length, int flags);

    /** A zeroed block, 0 when out of memory. */
    static native long calloc(long size);

    static native void free(long address);

    static native int getInt(long address);

    static native void putInt(long address, int value);

    static native void putByte(long address, byte value);

    static native void putLong(long address, long value);

    static native void putBytes(long address, byte[] bytes);

    static native void getBytes(long address, byte[] into, int length);
}
