package org.mptcp4j.agent.boot;

import java.io.FileDescriptor;

/**
 * The only class the instrumented JDK code calls. It lives on the bootstrap class path (the agent
 * writes it into a small jar appended there), so code in {@code java.base} can see it, and it
 * references nothing but the JDK. The agent installs a {@link Callback}; until then, and whenever
 * the callback fails, every method is a no-op: nothing here ever throws into the application,
 * except the IOException a strict policy asks for.
 */
public final class MptcpHook {
    private MptcpHook() {}

    /** What the agent does with the events. */
    public interface Callback {
        /** A JDK stream socket was created; {@code server} for listeners. */
        void socketCreated(FileDescriptor fd, boolean server) throws Exception;

        /** A JDK socket is about to connect; {@code address} is an InetSocketAddress or InetAddress. */
        void beforeConnect(FileDescriptor fd, Object address, int port) throws Exception;

        /**
         * Netty created a stream socket (its own native code); {@code server} when a server channel
         * asked, {@code ioUring} when the io_uring transport did.
         */
        void nettySocketCreated(int fd, boolean server, boolean ioUring) throws Exception;

        /** A Netty socket is about to connect. */
        void nettyBeforeConnect(int fd, Object socketAddress) throws Exception;

        /** Setting a socket option failed: true to treat the call as done (MPTCP-only refusal with a known answer). */
        boolean optionSetFailed(Throwable failure, FileDescriptor fd, Object option, Object value);

        /** Reading a socket option failed: the value to return instead, or null to rethrow. */
        Object optionGetFailed(Throwable failure, FileDescriptor fd, Object option);

        /** Something failed inside the callback: report it (once) and carry on. */
        void failed(String where, Throwable t);
    }

    /** Set by the agent once it is ready. */
    public static volatile Callback callback;

    /**
     * The JDK's socket methods nest (JDK 17's {@code socket(boolean)} calls {@code socket(family, boolean)},
     * {@code connect(fd, addr, port)} calls the family variant): both levels are hooked, so remember
     * the last fd seen per thread and act once.
     */
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

    /** Before {@code Net.socket*} / {@code Net.serverSocket*} return. */
    public static void socketCreated(FileDescriptor fd, boolean stream, boolean server) {
        Callback c = callback;
        if (c == null || fd == null || !stream) {
            return; // datagram sockets are never touched
        }
        Object[] last = LAST.get();
        if (last[0] == fd) {
            return;
        }
        last[0] = fd;
        try {
            c.socketCreated(fd, server);
        } catch (java.io.IOException e) {
            sneakyThrow(e); // strict policy: the socket creation fails as the JDK's own would
        } catch (Throwable t) {
            c.failed(server ? "serverSocket" : "socket", t);
        }
    }

    /** On entry of {@code Net.connect*}; {@code address} is an InetAddress or a SocketAddress, {@code port} -1 with the latter. */
    public static void connecting(FileDescriptor fd, Object address, int port) {
        Callback c = callback;
        if (c == null || fd == null || !(address instanceof java.net.InetAddress || address instanceof java.net.InetSocketAddress)) {
            return; // a Unix-domain connect: leave it alone
        }
        Object[] last = LAST.get();
        if (last[1] == fd) {
            return;
        }
        last[1] = fd;
        try {
            c.beforeConnect(fd, address, port);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("connect", t);
        }
    }

    /** Handler of {@code Net.setSocketOption*}: true swallows the failure. Never throws. */
    public static boolean optionSetFailed(Throwable failure, FileDescriptor fd, Object option, Object value) {
        Callback c = callback;
        if (c == null) {
            return false;
        }
        try {
            return c.optionSetFailed(failure, fd, option, value);
        } catch (Throwable t) {
            c.failed("setOption", t);
            return false;
        }
    }

    /** Handler of {@code Net.getSocketOption*}: a value to return, or null to rethrow. Never throws. */
    public static Object optionGetFailed(Throwable failure, FileDescriptor fd, Object option) {
        Callback c = callback;
        if (c == null) {
            return null;
        }
        try {
            return c.optionGetFailed(failure, fd, option);
        } catch (Throwable t) {
            c.failed("getOption", t);
            return null;
        }
    }

    /** Entry of {@code Net.getSocketOption*}: a value recorded for a refused set, or null. Never throws. */
    public static Object optionRecorded(FileDescriptor fd, Object option) {
        Callback c = callback;
        if (c == null) {
            return null;
        }
        try {
            return c.optionGetFailed(null, fd, option);
        } catch (Throwable t) {
            c.failed("getOption", t);
            return null;
        }
    }

    /** Exit of Netty's {@code Socket.newSocketStream0(boolean)}. */
    public static void nettySocketCreated(int fd) {
        Callback c = callback;
        if (c == null || fd < 0) {
            return;
        }
        try {
            String[] caller = nettyCaller();
            c.nettySocketCreated(fd, caller[0] != null, caller[1] != null);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("netty socket", t);
        }
    }

    /** Entry of Netty's {@code Socket.connect(SocketAddress)}. */
    public static void nettyBeforeConnect(int fd, Object socketAddress) {
        Callback c = callback;
        if (c == null) {
            return;
        }
        try {
            c.nettyBeforeConnect(fd, socketAddress);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("netty connect", t);
        }
    }

    /**
     * Netty uses one native call for server and client sockets and for both transports: look at who
     * asked. Returns {server channel class or null, io_uring class or null}.
     */
    private static String[] nettyCaller() {
        String[] found = new String[2];
        StackWalker.getInstance().forEach(f -> {
            String n = f.getClassName();
            if (n.endsWith("ServerSocketChannel")) {
                found[0] = n;
            }
            if (n.startsWith("io.netty.channel.uring.") || n.startsWith("io.netty.incubator.channel.uring.")) {
                found[1] = n;
            }
        });
        return found;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
