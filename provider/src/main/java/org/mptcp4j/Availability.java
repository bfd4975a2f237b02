package org.mptcp4j;

import org.mptcp4j.internal.sys.Linux;

/**
 * Whether this JVM, in this network namespace, can create MPTCP sockets. Probed once per process
 * (like Go's net package): see {@link Mptcp#availability()}.
 */
public enum Availability {
    /** The kernel creates {@code IPPROTO_MPTCP} sockets and the JDK internals are reachable. */
    SUPPORTED("MPTCP is available"),
    /** {@code socket(..., IPPROTO_MPTCP)} fails with ENOPROTOOPT: {@code net.mptcp.enabled=0} in this netns. */
    DISABLED("MPTCP is disabled by sysctl net.mptcp.enabled=0 in this network namespace (ENOPROTOOPT)"),
    /** EPROTONOSUPPORT or EINVAL: the kernel has no MPTCP (Linux before 5.6, or CONFIG_MPTCP=n). */
    NOT_IN_KERNEL("the kernel has no MPTCP support (EPROTONOSUPPORT/EINVAL: Linux >= 5.6 with CONFIG_MPTCP=y is required)"),
    /** EACCES or EPERM: a security policy (seccomp, SELinux, LSM) forbids MPTCP sockets. */
    DENIED("a security policy denies MPTCP sockets (EACCES/EPERM)"),
    /** The operating system is not Linux. */
    NOT_LINUX("MPTCP sockets are only supported on Linux"),
    /** Neither mptcp4j's JNI library nor jffi's could be loaded (a noexec java.io.tmpdir, a missing platform build). */
    NO_NATIVE_LIBRARY("the native library mptcp4j calls libc through (its own, or jffi's) could not be loaded"),
    /** The JDK internals that hold the socket's file descriptor are not opened to mptcp4j. */
    JDK_NOT_OPEN("the JDK internals are not open to mptcp4j"),
    /** The running JDK's socket classes do not have the shape mptcp4j knows (fields renamed or removed). */
    JDK_UNRECOGNIZED("the JDK's socket internals are not recognised by this mptcp4j version");

    private final String description;

    Availability(String description) {
        this.description = description;
    }

    /** One line saying why, suitable for a log message. */
    public String description() {
        return description;
    }

    public boolean isSupported() {
        return this == SUPPORTED;
    }
}
