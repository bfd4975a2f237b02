package sun.nio.ch;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one link from mptcp4j's channel subclasses, which live in java.base, to mptcp4j's option
 * policy (org.mptcp4j.upgrade.OptionCompat), which java.base cannot see. mptcp4j sets the fields
 * right after defining these classes; while they are null the subclasses behave exactly like the JDK's.
 * Compiled against java.base, shipped as bytes, defined at run time (never on the class path).
 */
final class MptcpOptionHooks {
    private MptcpOptionHooks() {}

    /** {failure, fd, option, value} -> true when mptcp4j accepts a set that the MPTCP socket refused. */
    static volatile Predicate<Object[]> refused;
    /** (fd, option) -> the value recorded for an accepted refusal, or null. */
    static volatile BiFunction<FileDescriptor, SocketOption<?>, Object> recorded;
    /** {failure, fd, option} -> the answer to a read the MPTCP socket refused, or null. */
    static volatile Function<Object[], Object> readRefused;

    /** Sets through the JDK; a refusal mptcp4j accepts does not reach the caller. */
    static void set(Callable<?> jdk, FileDescriptor fd, SocketOption<?> option, Object value) throws IOException {
        try {
            call(jdk);
        } catch (SocketException | UnsupportedOperationException e) { // jdk.net options report EOPNOTSUPP as the latter
            if (!accepts(e, fd, option, value)) {
                throw e;
            }
        }
    }

    /** Reads: a recorded value first, else the JDK, whose MPTCP-only refusal mptcp4j may answer. */
    @SuppressWarnings("unchecked")
    static <T> T get(Callable<T> jdk, FileDescriptor fd, SocketOption<?> option) throws IOException {
        Object recorded = recorded(fd, option);
        if (recorded != null) {
            return (T) recorded;
        }
        try {
            return call(jdk);
        } catch (SocketException | UnsupportedOperationException e) {
            Object answer = readRefused(e, fd, option);
            if (answer == null) {
                throw e;
            }
            return (T) answer;
        }
    }

    /**
     * Runs the JDK's call. Callable (a java.base type) rather than an interface of our own: every
     * class here must be defined at run time, and one fewer is one fewer to define.
     */
    private static <T> T call(Callable<T> jdk) throws IOException {
        try {
            return jdk.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e); // the JDK's setOption/getOption throw nothing else
        }
    }

    static boolean accepts(Exception failure, FileDescriptor fd, SocketOption<?> option, Object value) {
        Predicate<Object[]> p = refused;
        return p != null && p.test(new Object[] {failure, fd, option, value});
    }

    static Object readRefused(Exception failure, FileDescriptor fd, SocketOption<?> option) {
        Function<Object[], Object> f = readRefused;
        return f == null ? null : f.apply(new Object[] {failure, fd, option});
    }

    static Object recorded(FileDescriptor fd, SocketOption<?> option) {
        BiFunction<FileDescriptor, SocketOption<?>, Object> r = recorded;
        return r == null ? null : r.apply(fd, option);
    }
}
