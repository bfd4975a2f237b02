package sun.nio.ch;

import java.io.FileDescriptor;
import java.net.SocketOption;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one link from mptcp4j's channel subclasses, which live in java.base, to mptcp4j's option
 * policy (org.mptcp4j.internal.options.RefusedOptions) and connection outcomes
 * (org.mptcp4j.internal.engine.Connections), which java.base cannot see. mptcp4j sets the fields
 * right after defining these classes; while they are null the subclasses behave exactly like the JDK's.
 * Compiled against java.base, shipped as bytes, defined at run time (never on the class path).
 * No lambdas in these classes: a lambda call site in java.base costs its bootstrap (milliseconds in
 * a cold JVM) at the first setOption, so the two subclasses spell their few lines out.
 */
final class MptcpChannelHooks {
    private MptcpChannelHooks() {}

    /** {failure, fd, option, value} -> true when mptcp4j accepts a set that the MPTCP socket refused. */
    static volatile Predicate<Object[]> refused;
    /** (fd, option) -> the value recorded for an accepted refusal, or null. */
    static volatile BiFunction<FileDescriptor, SocketOption<?>, Object> recorded;
    /** {failure, fd, option} -> the answer to a read the MPTCP socket refused, or null. */
    static volatile Function<Object[], Object> readRefused;

    /** (connected or accepted fd, the accepting listener's fd or null for a client): a connection completed. */
    static volatile BiConsumer<FileDescriptor, FileDescriptor> established;

    static void established(FileDescriptor fd, FileDescriptor listener) {
        BiConsumer<FileDescriptor, FileDescriptor> c = established;
        if (c != null) {
            c.accept(fd, listener);
        }
    }

    /** (fd of a channel being closed, still open): for the JFR event that records the connection's end. */
    static volatile Consumer<FileDescriptor> closing;

    static void closing(FileDescriptor fd) {
        Consumer<FileDescriptor> c = closing;
        if (c != null) {
            c.accept(fd);
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
