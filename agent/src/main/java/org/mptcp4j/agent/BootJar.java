package org.mptcp4j.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.mptcp4j.internal.sys.BootClasses;

/**
 * Makes {@code org.mptcp4j.agent.boot.MptcpHook} a class of the bootstrap loader, so code inlined
 * into {@code java.base} can call it.
 *
 * <p>First choice: define its two class files directly in the boot loader, with JNI's DefineClass
 * where mptcp4j's JNI library loads, else with the JDK's internal {@code Unsafe.defineClass} (the agent
 * opens {@code jdk.internal.misc} to itself for that). This
 * leaves the boot class path alone, which matters: appending to it makes the JVM print
 * "Sharing is only supported for boot loader classes..." on the application's stdout and turns off
 * class-data sharing for application classes. Fallback, if that JDK method is gone: a small jar in a
 * private temporary directory, appended with {@link Instrumentation#appendToBootstrapClassLoaderSearch}.
 */
final class BootJar {
    private BootJar() {}

    static final String HOOK = "org.mptcp4j.agent.boot.MptcpHook";
    static final String[] CLASSES = {HOOK + "$Callback", HOOK}; // interface first

    static Module install(Instrumentation inst) throws IOException, ClassNotFoundException {
        try {
            return Class.forName(HOOK, false, null).getModule(); // attached twice
        } catch (ClassNotFoundException notYet) {
            // first time in this JVM
        }
        try {
            if (defineWithJni()) {
                AgentLog.debug("hook defined in the boot loader with JNI DefineClass");
            } else {
                defineInBootLoader(inst);
                AgentLog.debug("hook defined in the boot loader with Unsafe.defineClass");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debug("Unsafe.defineClass unavailable (" + e + "); appending a boot jar instead");
            appendJar(inst);
        }
        return Class.forName(HOOK, false, null).getModule();
    }

    private static byte[] bytes(String className) throws IOException {
        String resource = className.replace('.', '/') + ".class";
        try (InputStream in = BootJar.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("agent jar is missing " + resource);
            }
            return in.readAllBytes();
        }
    }

    /** JNI's DefineClass where mptcp4j's JNI library loads (it is loaded for the first socket anyway): false elsewhere. */
    private static boolean defineWithJni() throws IOException {
        for (String name : CLASSES) {
            try {
                if (BootClasses.define(name, bytes(name)) == null) {
                    return false; // no JNI library: always before the first class
                }
            } catch (LinkageError e) {
                AgentLog.debug("JNI DefineClass failed (" + e + "); trying Unsafe.defineClass");
                return false;
            }
        }
        return true;
    }

    private static void defineInBootLoader(Instrumentation inst) throws ReflectiveOperationException, IOException {
        Module base = Object.class.getModule();
        inst.redefineModule(base, Set.of(), Map.of(), Map.of("jdk.internal.misc", Set.of(BootJar.class.getModule())), Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        if (Runtime.version().feature() >= 18) {
            defineWithHandles(unsafeClass);
            return;
        }
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, java.security.ProtectionDomain.class);
        for (String name : CLASSES) {
            byte[] b = bytes(name);
            define.invoke(unsafe, name, b, 0, b.length, null, null);
        }
    }

    /** Core reflection runs on method handles since JDK 18 and spins many at its first calls: direct handles spin fewer. */
    private static void defineWithHandles(Class<?> unsafeClass) throws ReflectiveOperationException, IOException {
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unsafeClass, MethodHandles.lookup());
        MethodHandle theUnsafe = lookup.findStaticGetter(unsafeClass, "theUnsafe", unsafeClass);
        MethodHandle define = lookup.findVirtual(unsafeClass, "defineClass", MethodType.methodType(Class.class, String.class,
                byte[].class, int.class, int.class, ClassLoader.class, java.security.ProtectionDomain.class));
        try {
            Object unsafe = theUnsafe.invoke();
            for (String name : CLASSES) {
                byte[] b = bytes(name);
                define.invoke(unsafe, name, b, 0, b.length, (ClassLoader) null, (java.security.ProtectionDomain) null);
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new java.lang.reflect.InvocationTargetException(t);
        }
    }

    private static void appendJar(Instrumentation inst) throws IOException {
        Path dir = Files.createTempDirectory("mptcp4j-agent", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path jar = dir.resolve("mptcp4j-boot.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : CLASSES) {
                out.putNextEntry(new JarEntry(name.replace('.', '/') + ".class"));
                out.write(bytes(name));
                out.closeEntry();
            }
        }
        jar.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }
}
