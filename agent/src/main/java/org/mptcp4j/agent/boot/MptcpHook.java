package org.mptcp4j.agent.boot;

import java.io.FileDescriptor;

/**
 * The only class the instrumented JDK and Netty code calls. The agent defines it in the boot loader
 * (see {@code BootJar}), so code in {@code java.base} and in every application class loader can see
 * it, and it references nothing but the JDK. The agent installs a {@link Callback}; until then, and whenever
 * the callback fails, every method is a no-op: nothing here ever throws into the application,
 * except the IOException a strict policy asks for.
 */
public final class MptcpHook {
    private MptcpHook() {}

    /** What the agent does with the events. */
    public interface Callback {
        /**
         * The JDK is about to create a stream socket ({@code server} for listeners): an MPTCP socket's fd
         * set up as the JDK sets up its own, or -1 for the JDK to create its socket.
         */
        int creatingSocket(boolean server, boolean ipv6, boolean reuse) throws Exception;

        /** A JDK stream socket was created; {@code server} for listeners. */
        void socketCreated(FileDescriptor fd, boolean server) throws Exception;

        /** A JDK datagram socket was created: its fd number may be one a stream socket had a moment ago. */
        void datagramCreated(FileDescriptor fd) throws Exception;

        /** A JDK socket is about to connect; {@code address} is an InetSocketAddress or InetAddress. */
        void beforeConnect(FileDescriptor fd, Object address, int port) throws Exception;

        /**
         * A SocketChannel is about to connect ({@code SocketChannelImpl.connect} entry): the agent decides
         * here, under the channel's locks, so that a channel already registered with a Selector is left
         * alone (and the {@link #beforeConnect} of its Net.connect then has nothing left to decide).
         */
        void channelConnecting(Object channel, Object remote) throws Exception;

        /** A JDK connection completed: {@code socket} connected, or was accepted by {@code listener} (null for a client). */
        void established(FileDescriptor socket, FileDescriptor listener);

        /** A Netty connection completed: {@code fd} connected, or was accepted by {@code listenerFd} (-1 for a client). */
        void nettyEstablished(int fd, int listenerFd);

        /** Netty created a stream socket (its own native code); {@code netty} is the package prefix of that Netty copy. */
        void nettySocketCreated(int fd, String netty) throws Exception;

        /** A Netty socket ({@code socket}, fd {@code fd}) is about to connect to {@code address}. */
        void nettyBeforeConnect(Object socket, int fd, Object address) throws Exception;

        /** Netty's epoll transport called epoll_ctl (op 1 add, 2 del, 3 mod) for {@code fd}. */
        void nettyEpollCtl(int op, int epfd, int fd, int events);

        /** Netty io_uring is about to arm POLLIN on {@code channel}'s socket, multishot if {@code nettySays}: the answer to use. */
        boolean nettyMultishotPoll(boolean nettySays, Object channel);

        /** Netty io_uring's read loop concluded the socket of {@code channel} is empty ({@code kernelSays}): the answer to use. */
        boolean nettySocketIsEmpty(boolean kernelSays, Object channel);

        /** Setting option {@code name} on a Netty socket failed: true to treat the call as done. */
        boolean nettyOptionSetFailed(Throwable failure, Object socket, int fd, String name, Object value);

        /** Reading option {@code name} on a Netty socket failed (or, {@code failure} null, is about to be read): the value to return, or null. */
        Object nettyOptionGetFailed(Throwable failure, Object socket, int fd, String name);

        /** A socket option is about to be set on {@code fd} (entry of {@code Net.setSocketOption}). */
        void optionSetting(FileDescriptor fd) throws Exception;

        /** Setting a socket option failed: true to treat the call as done (MPTCP-only refusal with a known answer). */
        boolean optionSetFailed(Throwable failure, FileDescriptor fd, Object option, Object value);

        /** Reading a socket option failed: the value to return instead, or null to rethrow. */
        Object optionGetFailed(Throwable failure, FileDescriptor fd, Object option);

        /** A socket is about to close: {@code socket} is a SocketChannel or a SocketImpl (JDK), or an Integer fd (Netty). */
        void closing(Object socket);

        /** Something failed inside the callback: report it (once) and carry on. */
        void failed(String where, Throwable t);
    }

    /** Set by the agent once it is ready. */
    public static volatile Callback callback;

    /**
     * Set once a refused option's value was recorded: until then the option reads that look one up (the JDK reads
     * SO_LINGER at every close) return at once, without a call into the agent.
     */
    public static volatile boolean optionsRecorded;

    /**
     * In place of {@code Net.socket0(preferIPv6, stream, reuse, fastLoopback)}: an MPTCP socket's fd, or
     * the four flags packed and inverted (negative) for the woven code to make the JDK's own call.
     */
    public static int socket0(boolean preferIPv6, boolean stream, boolean reuse, boolean fastLoopback, boolean server) {
        int jdk = ~((preferIPv6 ? 1 : 0) | (stream ? 2 : 0) | (reuse ? 4 : 0) | (fastLoopback ? 8 : 0));
        Callback c = callback;
        if (c == null || !stream) {
            return jdk;
        }
        try {
            int fd = c.creatingSocket(server, preferIPv6, reuse);
            return fd >= 0 ? fd : jdk;
        } catch (Throwable t) {
            c.failed(server ? "serverSocket" : "socket", t);
            return jdk;
        }
    }

    /** Before {@code Net.socket(family, ...)} / {@code Net.serverSocket(family, ...)} return (the variants that call socket0). */
    public static void socketCreated(FileDescriptor fd, boolean stream, boolean server) {
        Callback c = callback;
        if (c == null || fd == null) {
            return;
        }
        try {
            if (!stream) {
                c.datagramCreated(fd); // never touched, only told apart from the stream socket its fd number was
                return;
            }
            c.socketCreated(fd, server);
        } catch (java.io.IOException e) {
            sneakyThrow(e); // strict policy: the socket creation fails as the JDK's own would
        } catch (Throwable t) {
            c.failed(server ? "serverSocket" : "socket", t);
        }
    }

    /**
     * On entry of {@code Net.connect(family, fd, address, port)} (the variant that calls connect0); {@code address} is an
     * InetAddress or a SocketAddress, {@code port} -1 with the latter.
     */
    public static void connecting(FileDescriptor fd, Object address, int port) {
        Callback c = callback;
        if (c == null || fd == null || !(address instanceof java.net.InetAddress || address instanceof java.net.InetSocketAddress)) {
            return; // a Unix-domain connect: leave it alone
        }
        try {
            c.beforeConnect(fd, address, port);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("connect", t);
        }
    }

    /** Entry of {@code Net.setSocketOption*}. Never throws. */
    public static void optionSetting(FileDescriptor fd) {
        Callback c = callback;
        if (c == null) {
            return;
        }
        try {
            c.optionSetting(fd);
        } catch (Throwable t) {
            c.failed("setOption", t);
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
        if (c == null || !optionsRecorded) {
            return null;
        }
        try {
            return c.optionGetFailed(null, fd, option);
        } catch (Throwable t) {
            c.failed("getOption", t);
            return null;
        }
    }

    /** Entry of {@code SocketChannelImpl.connect(SocketAddress)}. */
    public static void channelConnecting(Object channel, Object remote) {
        Callback c = callback;
        if (c == null || !(remote instanceof java.net.InetSocketAddress)) {
            return;
        }
        try {
            c.channelConnecting(channel, remote);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("channel connect", t);
        }
    }

    /** Exit of {@code Net.connect(family, fd, address, port)}: 1 means the connection completed at once. */
    public static void connectReturned(int result, FileDescriptor fd) {
        Callback c = callback;
        if (c != null && result == 1) {
            established(c, fd, null);
        }
    }

    /** Exit of {@code Net.pollConnectNow(fd)}: true once a non-blocking connect completed. */
    public static void connectPolled(boolean connected, FileDescriptor fd) {
        Callback c = callback;
        if (c != null && connected) {
            established(c, fd, null);
        }
    }

    /**
     * Entry of {@code ServerSocketChannelImpl.finishAccept(fd, remote)} and exit of {@code NioSocketImpl.accept(impl)}:
     * the listener's descriptor and the accepted one's, as the woven class reads them from its own fields.
     */
    public static void accepted(FileDescriptor listener, FileDescriptor accepted) {
        Callback c = callback;
        if (c != null && accepted != null) {
            established(c, accepted, listener);
        }
    }

    private static void established(Callback c, FileDescriptor socket, FileDescriptor listener) {
        try {
            c.established(socket, listener);
        } catch (Throwable t) {
            c.failed("connection outcome", t);
        }
    }

    /** Entry of {@code SocketChannelImpl.implCloseSelectableChannel()} and {@code NioSocketImpl.close()}. */
    public static void closing(Object socket) {
        Callback c = callback;
        if (c != null) {
            try {
                c.closing(socket);
            } catch (Throwable t) {
                c.failed("close", t);
            }
        }
    }

    /**
     * Told the name or path of each native library the JVM is asked to load, once the agent stopped watching
     * class loading (a JDK type: this class references nothing of the agent's).
     */
    public static volatile java.util.function.Consumer<String> libraries;

    /** Entry of {@code Runtime.load0} and {@code Runtime.loadLibrary0} (System.load, System.loadLibrary). Never throws. */
    public static void libraryLoading(String name) {
        java.util.function.Consumer<String> l = libraries;
        if (l != null && name != null) {
            try {
                l.accept(name);
            } catch (Throwable t) {
                Callback c = callback;
                if (c != null) {
                    c.failed("library", t);
                }
            }
        }
    }

    /** Entry of Netty's {@code FileDescriptor.close()}: whether it is still open, and its fd. */
    public static void nettyClosing(boolean open, int fd) {
        Callback c = callback;
        if (c != null && open && fd >= 0) {
            try {
                c.closing(fd);
            } catch (Throwable t) {
                c.failed("netty close", t);
            }
        }
    }

    /** Exit of Netty's {@code Socket.finishConnect()} and {@code connect(SocketAddress)}: true when connected. */
    public static void nettyConnected(boolean connected, int fd) {
        Callback c = callback;
        if (c != null && connected) {
            try {
                c.nettyEstablished(fd, -1);
            } catch (Throwable t) {
                c.failed("netty connection outcome", t);
            }
        }
    }

    /** Exit of Netty's {@code Socket.accept(byte[])}: the accepted fd (negative: none) and the listener's. */
    public static void nettyAccepted(int fd, int listenerFd) {
        Callback c = callback;
        if (c != null && fd >= 0) {
            try {
                c.nettyEstablished(fd, listenerFd);
            } catch (Throwable t) {
                c.failed("netty connection outcome", t);
            }
        }
    }

    /** Exit of Netty's {@code Socket.newSocketStream0(boolean)}: the new fd and the Netty copy's package prefix. */
    public static void nettySocketCreated(int fd, String netty) {
        Callback c = callback;
        if (c == null || fd < 0) {
            return;
        }
        try {
            c.nettySocketCreated(fd, netty);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("netty socket", t);
        }
    }

    /** Entry of Netty's epoll {@code Socket.connect(SocketAddress)} and io_uring's {@code submitConnect(InetSocketAddress)}. */
    public static void nettyBeforeConnect(Object socket, int fd, Object address) {
        Callback c = callback;
        if (c == null || !(address instanceof java.net.InetSocketAddress)) {
            return;
        }
        try {
            c.nettyBeforeConnect(socket, fd, address);
        } catch (java.io.IOException e) {
            sneakyThrow(e);
        } catch (Throwable t) {
            c.failed("netty connect", t);
        }
    }

    /** Entry of Netty's {@code Native.epollCtlAdd/Mod/Del}. Never throws. */
    public static void nettyEpollCtl(int op, int epfd, int fd, int events) {
        Callback c = callback;
        if (c == null) {
            return;
        }
        try {
            c.nettyEpollCtl(op, epfd, fd, events);
        } catch (Throwable t) {
            c.failed("netty epoll_ctl", t);
        }
    }

    /** Exit of Netty io_uring's {@code allowMultiShotPollIn()}. Never throws. */
    public static boolean nettyMultishotPoll(boolean nettySays, Object channel) {
        Callback c = callback;
        if (c == null || !nettySays) {
            return nettySays;
        }
        try {
            return c.nettyMultishotPoll(true, channel);
        } catch (Throwable t) {
            c.failed("netty poll", t);
            return false; // one-shot polls are always safe
        }
    }

    /** Exit of Netty io_uring's {@code socketIsEmpty(int)}. Never throws. */
    public static boolean nettySocketIsEmpty(boolean kernelSays, Object channel) {
        Callback c = callback;
        if (c == null || !kernelSays) {
            return kernelSays;
        }
        try {
            return c.nettySocketIsEmpty(true, channel);
        } catch (Throwable t) {
            c.failed("netty read loop", t);
            return kernelSays;
        }
    }

    /** Handler of Netty's option setters: true swallows the failure. Never throws. */
    public static boolean nettyOptionSetFailed(Throwable failure, Object socket, int fd, String name, Object value) {
        Callback c = callback;
        if (c == null) {
            return false;
        }
        try {
            return c.nettyOptionSetFailed(failure, socket, fd, name, value);
        } catch (Throwable t) {
            c.failed("netty setOption", t);
            return false;
        }
    }

    /** Entry ({@code failure} null) and handler of Netty's option getters: a value to return, or null. Never throws. */
    public static Object nettyOptionGetFailed(Throwable failure, Object socket, int fd, String name) {
        Callback c = callback;
        if (c == null || failure == null && !optionsRecorded) {
            return null;
        }
        try {
            return c.nettyOptionGetFailed(failure, socket, fd, name);
        } catch (Throwable t) {
            c.failed("netty getOption", t);
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
