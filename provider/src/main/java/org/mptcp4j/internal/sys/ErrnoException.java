package org.mptcp4j.internal.sys;

import java.net.SocketException;

/**
 * A system call failed. Carries the syscall, its arguments as text and the errno, so that a caller
 * can branch on {@link #errno()} and a log line says exactly what the kernel refused.
 */
public class ErrnoException extends SocketException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    public ErrnoException(String call, int errno) {
        super(call + " failed: " + Errno.describe(errno));
        this.errno = errno;
        this.call = call;
    }

    /** The raw errno value. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno, or {@code null} for a value mptcp4j does not name. */
    public Errno errnoConstant() {
        return Errno.of(errno);
    }

    /** The failed call with its arguments, e.g. {@code socket(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP)}. */
    public String call() {
        return call;
    }

    public boolean is(Errno e) {
        return errno == e.code();
    }
}
