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

        /** Something failed inside the callback: report it (once) and carry on. */
        void failed(String where, Throwable t);
    }

    /** Set by the agent once it is ready. */
    public static volatile Callback callback;

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    /** Called on entry of a hooked method: returns the nesting depth before this call (0 = outermost). */
    public static int enter() {
        return DEPTH.get()[0]++;
    }

    /** Called on every exit of a hooked method, also exceptional ones. */
    public static void exit() {
        DEPTH.get()[0]--;
    }

    /** Exit of {@code Net.socket*} / {@code Net.serverSocket*}. */
    public static void socketCreated(int depth, String method, Object[] args, FileDescriptor fd) {
        Callback c = callback;
        if (c == null || depth != 0 || fd == null) {
            return;
        }
        boolean stream = true; // JDK 25's socket()/serverSocket() are stream-only; older ones take a boolean
        for (Object a : args) {
            if (a instanceof Boolean) {
                stream = (Boolean) a;
            }
        }
        if (!stream) {
            return; // datagram sockets are never touched
        }
        try {
            c.socketCreated(fd, method.startsWith("serverSocket"));
        } catch (java.io.IOException e) {
            sneakyThrow(e); // strict policy: the socket creation fails as the JDK's own would
        } catch (Throwable t) {
            c.failed(method, t);
        }
    }

    /** Entry of {@code Net.connect*}: counts depth, decides at the outermost call; exit() undoes the count. */
    public static int connectEnter(Object[] args) {
        int depth = enter();
        try {
            beforeConnect(depth, args);
        } catch (Throwable t) {
            exit(); // the method body (and its exit advice) will not run
            sneakyThrow(t);
        }
        return depth;
    }

    private static void beforeConnect(int depth, Object[] args) {
        Callback c = callback;
        if (c == null || depth != 0) {
            return;
        }
        FileDescriptor fd = null;
        Object address = null;
        int port = -1;
        for (Object a : args) {
            if (a instanceof FileDescriptor) {
                fd = (FileDescriptor) a;
            } else if (a instanceof java.net.InetAddress || a instanceof java.net.InetSocketAddress) {
                address = a;
            } else if (a instanceof Integer) {
                port = (Integer) a;
            }
        }
        if (fd == null || address == null) {
            return; // a Unix-domain connect, or a shape we do not know: leave it alone
        }
        try {
            c.beforeConnect(fd, address, port);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("connect", t);
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
