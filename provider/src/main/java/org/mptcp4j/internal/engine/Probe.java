package org.mptcp4j.internal.engine;

import static org.mptcp4j.internal.sys.Linux.AF_INET;
import static org.mptcp4j.internal.sys.Linux.IPPROTO_MPTCP;
import static org.mptcp4j.internal.sys.Linux.SOCK_CLOEXEC;
import static org.mptcp4j.internal.sys.Linux.SOCK_STREAM;

import org.mptcp4j.Availability;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.sys.Errno;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * Probes once per process whether MPTCP sockets can be made: the kernel (one throw-away
 * {@code socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP)}) and the JDK internals the upgrade needs.
 */
public final class Probe {
    private Probe() {}

    /** The result and, when not supported, the detail line (errno text or the flag to add). */
    public record Result(Availability availability, String detail) {}

    private static final class Holder {
        static final Result RESULT = run();
    }

    private static final class KernelHolder {
        static final Result RESULT = linuxAndKernel();
    }

    /** Whether MPTCP sockets can be made and the JDK internals the upgrade paths need are reachable. */
    public static Result result() {
        return Holder.RESULT;
    }

    /**
     * Whether MPTCP sockets can be made, the JDK internals aside: what a socket created MPTCP in place of the
     * JDK's own needs (no field of the JDK's is read for it), so the agent's first socket skips the JDK check.
     */
    public static Result kernelResult() {
        return KernelHolder.RESULT;
    }

    static Result run() {
        Result kernel = kernelResult();
        if (!kernel.availability().isSupported()) {
            return kernel;
        }
        return jdk();
    }

    private static Result linuxAndKernel() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return new Result(Availability.NOT_LINUX, Availability.NOT_LINUX.description() + " (os.name=" + System.getProperty("os.name") + ")");
        }
        return kernel();
    }

    static Result kernel() {
        try {
            NativeSockets.load();
        } catch (LinkageError e) {
            return new Result(Availability.NO_NATIVE_LIBRARY, nativeLibraryDetail(e));
        }
        try {
            NativeSockets.closeQuietly(NativeSockets.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_MPTCP));
            return new Result(Availability.SUPPORTED, Availability.SUPPORTED.description());
        } catch (ErrnoException e) {
            Availability a = fromErrno(e.errno());
            if (a == null) {
                a = Availability.NOT_IN_KERNEL; // unexpected errno from the probe: report it verbatim below
            }
            return new Result(a, a.description() + ": " + e.getMessage());
        }
    }

    /**
     * One line for a jffi that could not load its native library: jffi's own first sentence, and what to
     * do. Its usual cause in containers is a java.io.tmpdir mounted noexec, where jffi extracts the library.
     */
    static String nativeLibraryDetail(LinkageError e) {
        String why = String.valueOf(e.getMessage()).replace("java.lang.UnsatisfiedLinkError: ", "");
        int cut = why.length();
        for (String end : new String[] {"\tat ", "\n", ". Set `TMPDIR`"}) {
            int i = why.indexOf(end);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        String head = Availability.NO_NATIVE_LIBRARY.description() + ": " + why.substring(0, cut).strip();
        if (why.contains("Illegal native access")) { // JDK 24+ under --illegal-native-access=deny
            return head + "; this JVM denies native access to code not granted it: add --enable-native-access=ALL-UNNAMED "
                    + "(on the module path, --enable-native-access=org.mptcp4j,org.jnrproject.jffi), or have the JVM load "
                    + "the distribution's lib/native/linux-x86_64/libmptcp4j.so with -agentpath:PATH";
        }
        return head + "; give it the distribution's lib/native/linux-x86_64/libmptcp4j.so with -Dmptcp4j.nativeLibrary=PATH, or a "
                + "directory holding libjffi-1.2.so with -Djffi.boot.library.path=DIR (lib/native/jni/ARCH-Linux), or set "
                + "java.io.tmpdir to a directory that is not mounted noexec";
    }

    /** Maps the errno of socket(..., IPPROTO_MPTCP) to a reason; null for errors that are not about MPTCP. */
    public static Availability fromErrno(int errno) {
        Errno e = Errno.of(errno);
        if (e == null) {
            return null;
        }
        switch (e) {
            case ENOPROTOOPT: return Availability.DISABLED;
            case EPROTONOSUPPORT:
            case EINVAL:
            case ESOCKTNOSUPPORT:
            case EAFNOSUPPORT: return Availability.NOT_IN_KERNEL;
            case EACCES:
            case EPERM: return Availability.DENIED;
            default: return null; // EMFILE, ENOBUFS, ENOMEM...: resource trouble, not MPTCP's absence
        }
    }

    private static Result jdk() {
        try {
            JdkInternals.checkCore();
            return new Result(Availability.SUPPORTED, Availability.SUPPORTED.description());
        } catch (InternalsUnavailableException e) {
            return new Result(e.availability(), e.getMessage());
        }
    }
}
