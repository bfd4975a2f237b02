package org.mptcp4j.internal.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import org.mptcp4j.internal.options.RefusedOptions;

/**
 * {@link RefusedOptions} in the JDK's terms: a socket's {@link FileDescriptor} object (the key values
 * are recorded under) and {@link SocketOption}s. The one set path and the one read path of every JDK
 * socket kind mptcp4j wraps: the channel subclasses, the asynchronous channels, the SocketImpl and
 * the agent's hooks in {@code sun.nio.ch.Net}.
 */
public final class JdkOptions {
    private JdkOptions() {}

    /** A socket-option call into the kernel (through the JDK). */
    @FunctionalInterface
    public interface KernelCall<T> {
        T call() throws IOException;
    }

    /**
     * Sets an option through {@code kernel}; a refusal that MPTCP gives but TCP would not is answered
     * by {@link #setFailed} instead of thrown. The one set path of every socket kind mptcp4j wraps.
     */
    public static void set(KernelCall<?> kernel, FileDescriptor fd, SocketOption<?> option, Object value) throws IOException {
        try {
            kernel.call();
        } catch (SocketException | UnsupportedOperationException e) { // jdk.net options report EOPNOTSUPP as the latter
            if (!setFailed(e, fd, option, value)) {
                throw e;
            }
        }
    }

    /**
     * Reads an option: the value recorded for an accepted refusal first, else {@code kernel}, whose
     * MPTCP-only refusal is answered by {@link #getFailed}. The one read path of every socket kind.
     */
    @SuppressWarnings("unchecked")
    public static <T> T get(KernelCall<T> kernel, FileDescriptor fd, SocketOption<?> option) throws IOException {
        Object recorded = recorded(fd, option);
        if (recorded != null) {
            return (T) recorded;
        }
        try {
            return kernel.call();
        } catch (SocketException | UnsupportedOperationException e) {
            Object answer = getFailed(e, fd, option);
            if (answer == null) {
                throw e;
            }
            return (T) answer;
        }
    }

    /** {@link RefusedOptions#setRefused} for a JDK socket. */
    public static boolean setFailed(Throwable failure, FileDescriptor fd, SocketOption<?> option, Object value) {
        return fd != null && option != null && RefusedOptions.setRefused(failure, fd, fdVal(fd), option.name(), value);
    }

    /** {@link RefusedOptions#getRefused} for a JDK socket. */
    public static Object getFailed(Throwable failure, FileDescriptor fd, SocketOption<?> option) {
        return fd == null || option == null ? null : RefusedOptions.getRefused(failure, fd, fdVal(fd), option.name());
    }

    /** {@link RefusedOptions#recorded(Object, String)} for a JDK socket. */
    public static Object recorded(FileDescriptor fd, SocketOption<?> option) {
        return option == null ? null : RefusedOptions.recorded(fd, option.name());
    }

    private static int fdVal(FileDescriptor fd) {
        try {
            return JdkInternals.fdVal(fd);
        } catch (RuntimeException | InternalsUnavailableException e) {
            return -1;
        }
    }
}
