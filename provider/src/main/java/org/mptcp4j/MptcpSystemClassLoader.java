package org.mptcp4j;

import java.util.Optional;

/**
 * A system-property-only switch for {@code java.net.Socket} and {@code ServerSocket}:
 * {@code -Djava.system.class.loader=org.mptcp4j.MptcpSystemClassLoader}.
 *
 * <p>The JDK offers no property that selects a SocketImpl, but it does let a property choose the
 * system class loader, which it constructs before {@code main} runs. This loader delegates every
 * class to the JDK's application class loader (so nothing about class loading changes) and, while
 * it is being constructed, installs {@link MptcpSocketImplFactory}. It logs nothing at that point
 * (the logging system is not ready yet); a failure is reported on the first socket instead.
 */
public final class MptcpSystemClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static volatile Optional<String> problem = Optional.empty();

    /** Called by the JVM with the application class loader as parent. */
    public MptcpSystemClassLoader(ClassLoader parent) {
        super(parent);
        try {
            problem = MptcpSocketImplFactory.install();
        } catch (RuntimeException | LinkageError e) {
            problem = Optional.of("mptcp4j: Socket factory not installed: " + e);
        }
        if (problem.isPresent()) {
            System.err.println("mptcp4j: java.net.Socket stays plain TCP: " + problem.get());
        }
    }

    /** Why the factories could not be installed, if they could not. */
    public static Optional<String> problem() {
        return problem;
    }

    // Class-path agents and tools call this on the system class loader; delegate to the app loader.
    void appendToClassPathForInstrumentation(String path) {
        try {
            java.lang.reflect.Method m = getParent().getClass().getDeclaredMethod("appendToClassPathForInstrumentation", String.class);
            m.setAccessible(true);
            m.invoke(getParent(), path);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot append " + path + " to the class path", e);
        }
    }
}
