package org.mptcp4j.agent;

import java.util.List;
import org.objectweb.asm.Opcodes;

/**
 * Where the agent hooks in, as data: which class (the JDK's by name, Netty's by the end of its name,
 * since relocated copies such as gRPC's keep it), which methods by name and shape, and what is woven
 * there ({@link Weave}). {@link Weaver} applies the table; a class whose shape matches none of its
 * points is left alone and reported once.
 */
record HookPoint(Target target, Feature feature, Shape shape, Weave weave, String option) {

    /** The classes that are rewritten. */
    enum Target {
        JDK_NET("sun/nio/ch/Net", true),
        JDK_SOCKET_CHANNEL("sun/nio/ch/SocketChannelImpl", true),
        JDK_SERVER_SOCKET_CHANNEL("sun/nio/ch/ServerSocketChannelImpl", true),
        JDK_SOCKET_IMPL("sun/nio/ch/NioSocketImpl", true),
        /** Loaded before any agent: rewritten only when the agent stops watching class loading (see LazyAgent). */
        JDK_RUNTIME("java/lang/Runtime", true),
        NETTY_SOCKET("/channel/unix/Socket", false),
        NETTY_EPOLL_NATIVE("/channel/epoll/Native", false),
        NETTY_EPOLL_SOCKET("/channel/epoll/LinuxSocket", false),
        NETTY_URING_SOCKET("/channel/uring/LinuxSocket", false),
        NETTY_URING_CHANNEL("/channel/uring/AbstractIoUringChannel", false),
        NETTY_URING_STREAM_CHANNEL("/channel/uring/AbstractIoUringStreamChannel", false),
        NETTY_FILE_DESCRIPTOR("/channel/unix/FileDescriptor", false);

        private final String name;
        private final boolean exact;

        Target(String name, boolean exact) {
            this.name = name;
            this.exact = exact;
        }

        /** The target a class's internal name designates, or null (the common case: one or two string tests). */
        static Target of(String internalName) {
            if (internalName == null) {
                return null;
            }
            for (Target t : values()) {
                if (t.exact ? internalName.equals(t.name) : internalName.endsWith(t.name) && internalName.length() > t.name.length()) {
                    return t;
                }
            }
            return null;
        }

        /** The targets' simple names ({@code Net}, {@code Socket}, ...): a quick test before {@link #of}. */
        private static final java.util.Set<String> SIMPLE_NAMES = simpleNames();

        private static java.util.Set<String> simpleNames() {
            java.util.Set<String> s = new java.util.HashSet<>();
            for (Target t : values()) {
                s.add(t.name.substring(t.name.lastIndexOf('/') + 1));
            }
            return s;
        }

        /** The target a loaded class designates (its binary name, {@code sun.nio.ch.Net}), or null. */
        static Target ofLoaded(String binaryName) {
            return SIMPLE_NAMES.contains(binaryName.substring(binaryName.lastIndexOf('.') + 1)) ? of(binaryName.replace('.', '/')) : null;
        }

        /** The internal name (exact) or the end of it (Netty, {@code /channel/...}) that designates this target. */
        String pattern() {
            return name;
        }

        boolean isExact() {
            return exact;
        }

        /** For Netty: the package prefix before {@code /channel/...} ("io/netty", "io/grpc/netty/shaded/io/netty"); "" for the JDK. */
        String prefix(String internalName) {
            return exact ? "" : internalName.substring(0, internalName.length() - name.length());
        }

        boolean isNetty() {
            return !exact;
        }
    }

    /** What a group of hook points gives the agent; a Netty copy without one of them is handled accordingly. */
    enum Feature {
        /** Stream sockets seen when created. */
        CREATE,
        /** Stream sockets created MPTCP in place of the JDK's own {@code socket()} call (no second socket, no swap). */
        CREATE_IN_PLACE,
        /** Client sockets seen before they connect, with the destination. */
        CONNECT,
        /** Socket options MPTCP refuses answered by {@code OptionRule}. */
        OPTIONS,
        /** A SocketChannel's Selector registration known before connect (the JDK). */
        SELECTOR_REGISTRATION,
        /** Netty's epoll registrations known, so a connect-time swap can restore them. */
        EPOLL_REGISTRATION,
        /** Connections seen when they complete (connected or accepted), so their MPTCP outcome is counted. */
        OUTCOME,
        /** Netty io_uring clients seen before they connect. */
        URING_CONNECT,
        /**
         * Netty io_uring's reads kept going on MPTCP sockets: POLLIN armed one-shot (re-checked when armed)
         * rather than multishot (fires on new data only).
         */
        URING_READ,
        /** Netty io_uring's read loop told that an MPTCP socket may still hold data (saves a poll per read loop). */
        URING_READ_LOOP,
        /** Sockets seen just before they close, so a flight recording gets how each MPTCP connection ended. */
        CLOSE,
        /** Native libraries heard of as they load: Netty's native transport, after the agent stopped watching class loading. */
        LIBRARIES
    }

    /** What is woven into a matched method. */
    enum Weave {
        NET_SOCKET_CREATED, NET_CONNECT, NET_CONNECT_POLLED, NET_OPTION_SET, NET_OPTION_GET,
        CHANNEL_CONNECT, CHANNEL_ACCEPTED, IMPL_ACCEPTED,
        NETTY_SOCKET_CREATED, NETTY_CONNECT, NETTY_CONNECTED, NETTY_ACCEPTED, NETTY_EPOLL_ADD, NETTY_EPOLL_MOD, NETTY_EPOLL_DEL,
        NETTY_URING_CONNECT, NETTY_URING_MULTISHOT_POLL, NETTY_URING_SOCKET_IS_EMPTY, NETTY_OPTION_SET, NETTY_OPTION_GET,
        CLOSING, NETTY_CLOSING, LIBRARY_LOADING
    }

    /**
     * A method test: static or not (never native), the name (plus the test suffix that simulates an
     * unknown JDK), and either an exact descriptor or a return descriptor and parameter types it must
     * contain (the JDK's methods differ in their other parameters between 17 and 25); {@code calls}, if
     * not null, a method of the same class (name and descriptor) it must call itself.
     */
    record Shape(boolean isStatic, String name, String descriptor, String returns, List<String> takes, String calls) {
        static Shape exactly(boolean isStatic, String name, String descriptor) {
            return new Shape(isStatic, name, descriptor, null, List.of(), null);
        }

        static Shape loosely(String name, String returns, String... takes) {
            return new Shape(true, name, null, returns, List.of(takes), null);
        }

        /** This shape, only where the method itself calls {@code nameAndDescriptor} of its class. */
        Shape calling(String nameAndDescriptor) {
            return new Shape(isStatic, name, descriptor, returns, takes, nameAndDescriptor);
        }

        boolean matches(int access, String n, String d, String suffix) {
            if (HookPoint.isStatic(access) != isStatic || isNative(access) || !n.equals(name + suffix)) {
                return false;
            }
            if (descriptor != null) {
                return d.equals(descriptor);
            }
            if (!d.endsWith(")" + returns)) {
                return false;
            }
            String params = d.substring(0, d.indexOf(')'));
            for (String t : takes) {
                if (!params.contains(t)) {
                    return false;
                }
            }
            return true;
        }
    }

    static boolean isStatic(int access) {
        return (access & Opcodes.ACC_STATIC) != 0;
    }

    static boolean isNative(int access) {
        return (access & Opcodes.ACC_NATIVE) != 0;
    }

    private static final String FD = "java/io/FileDescriptor";

    /** The JDK's native calls that create and connect a socket, as {@code Net} declares them (17 through 25). */
    static final String SOCKET0 = "socket0(ZZZZ)I";
    static final String CONNECT0 = "connect0(ZL" + FD + ";Ljava/net/InetAddress;I)I";

    /** Netty's option methods (on its unix {@code Socket} and both transports' {@code LinuxSocket}) and the rule each follows. */
    private static final String[][] NETTY_OPTIONS = {
        {"setReuseAddress", "(Z)V", "SO_REUSEADDR"}, {"isReuseAddress", "()Z", "SO_REUSEADDR"},
        {"setReusePort", "(Z)V", "SO_REUSEPORT"}, {"isReusePort", "()Z", "SO_REUSEPORT"},
        {"setTrafficClass", "(I)V", "IP_TOS"}, {"getTrafficClass", "()I", "IP_TOS"},
        {"setTcpQuickAck", "(Z)V", "TCP_QUICKACK"}, {"isTcpQuickAck", "()Z", "TCP_QUICKACK"},
        {"setTcpUserTimeout", "(I)V", "TCP_USER_TIMEOUT"}, {"getTcpUserTimeout", "()I", "TCP_USER_TIMEOUT"},
    };

    /** The table. JDK shapes cover 17 through 25 (checked against 17, 21 and 25 sources); Netty's 4.1 and 4.2. */
    static final List<HookPoint> ALL = build();

    private static List<HookPoint> build() {
        List<HookPoint> points = new java.util.ArrayList<>();
        // sun.nio.ch.Net: every stream socket the JDK creates, connects and sets options on; of the nested socket,
        // serverSocket and connect variants, the one that makes the native call (so each socket is seen once)
        String fd = "L" + FD + ";";
        for (String name : List.of("socket", "serverSocket")) {
            points.add(new HookPoint(Target.JDK_NET, Feature.CREATE, Shape.loosely(name, fd).calling(SOCKET0), Weave.NET_SOCKET_CREATED, null));
        }
        points.add(new HookPoint(Target.JDK_NET, Feature.CONNECT, Shape.loosely("connect", "I", fd).calling(CONNECT0), Weave.NET_CONNECT, null));
        points.add(new HookPoint(Target.JDK_NET, Feature.OPTIONS, Shape.loosely("setSocketOption", "V", fd, "Ljava/net/SocketOption;",
                "Ljava/lang/Object;"), Weave.NET_OPTION_SET, null));
        points.add(new HookPoint(Target.JDK_NET, Feature.OPTIONS, Shape.loosely("getSocketOption", "Ljava/lang/Object;", fd,
                "Ljava/net/SocketOption;"), Weave.NET_OPTION_GET, null));
        // completed connections: a non-blocking connect found done; accepted by a channel or a java.net listener
        points.add(new HookPoint(Target.JDK_NET, Feature.OUTCOME, Shape.exactly(true, "pollConnectNow", "(" + fd + ")Z"),
                Weave.NET_CONNECT_POLLED, null));
        points.add(new HookPoint(Target.JDK_SERVER_SOCKET_CHANNEL, Feature.OUTCOME,
                Shape.exactly(false, "finishAccept", "(" + fd + "Ljava/net/SocketAddress;)Ljava/nio/channels/SocketChannel;"),
                Weave.CHANNEL_ACCEPTED, null));
        points.add(new HookPoint(Target.JDK_SOCKET_IMPL, Feature.OUTCOME, Shape.exactly(false, "accept", "(Ljava/net/SocketImpl;)V"),
                Weave.IMPL_ACCEPTED, null));
        // closes, at entry while the fd is open: a channel, a java.net socket, any Netty fd (sockets among them)
        points.add(new HookPoint(Target.JDK_SOCKET_CHANNEL, Feature.CLOSE, Shape.exactly(false, "implCloseSelectableChannel", "()V"),
                Weave.CLOSING, null));
        points.add(new HookPoint(Target.JDK_SOCKET_IMPL, Feature.CLOSE, Shape.exactly(false, "close", "()V"), Weave.CLOSING, null));
        points.add(new HookPoint(Target.NETTY_FILE_DESCRIPTOR, Feature.CLOSE, Shape.exactly(false, "close", "()V"),
                Weave.NETTY_CLOSING, null));
        // Runtime.load0 and loadLibrary0 (System.load and System.loadLibrary end there): Netty's native transport arriving
        for (String name : List.of("load0", "loadLibrary0")) {
            points.add(new HookPoint(Target.JDK_RUNTIME, Feature.LIBRARIES, Shape.exactly(false, name, "(Ljava/lang/Class;Ljava/lang/String;)V"),
                    Weave.LIBRARY_LOADING, null));
        }
        // SocketChannelImpl.connect: a channel registered with a Selector before connect() must not be swapped
        points.add(new HookPoint(Target.JDK_SOCKET_CHANNEL, Feature.SELECTOR_REGISTRATION,
                Shape.exactly(false, "connect", "(Ljava/net/SocketAddress;)Z"), Weave.CHANNEL_CONNECT, null));
        // Netty's unix Socket: creation (every transport) and connect (epoll)
        points.add(new HookPoint(Target.NETTY_SOCKET, Feature.CREATE, Shape.exactly(true, "newSocketStream0", "(Z)I"),
                Weave.NETTY_SOCKET_CREATED, null));
        points.add(new HookPoint(Target.NETTY_SOCKET, Feature.CONNECT, Shape.exactly(false, "connect", "(Ljava/net/SocketAddress;)Z"),
                Weave.NETTY_CONNECT, null));
        points.add(new HookPoint(Target.NETTY_SOCKET, Feature.OUTCOME, Shape.exactly(false, "finishConnect", "()Z"),
                Weave.NETTY_CONNECTED, null));
        points.add(new HookPoint(Target.NETTY_SOCKET, Feature.OUTCOME, Shape.exactly(false, "accept", "([B)I"),
                Weave.NETTY_ACCEPTED, null));
        // Netty epoll's registrations (data = the fd, as the three-int shape says)
        points.add(new HookPoint(Target.NETTY_EPOLL_NATIVE, Feature.EPOLL_REGISTRATION, Shape.exactly(true, "epollCtlAdd", "(III)V"),
                Weave.NETTY_EPOLL_ADD, null));
        points.add(new HookPoint(Target.NETTY_EPOLL_NATIVE, Feature.EPOLL_REGISTRATION, Shape.exactly(true, "epollCtlMod", "(III)V"),
                Weave.NETTY_EPOLL_MOD, null));
        points.add(new HookPoint(Target.NETTY_EPOLL_NATIVE, Feature.EPOLL_REGISTRATION, Shape.exactly(true, "epollCtlDel", "(II)V"),
                Weave.NETTY_EPOLL_DEL, null));
        // Netty io_uring: connect is a submitted operation, and the read loop trusts a flag MPTCP never sets
        points.add(new HookPoint(Target.NETTY_URING_CHANNEL, Feature.URING_CONNECT,
                Shape.exactly(false, "submitConnect", "(Ljava/net/InetSocketAddress;)V"), Weave.NETTY_URING_CONNECT, null));
        points.add(new HookPoint(Target.NETTY_URING_CHANNEL, Feature.URING_READ, Shape.exactly(false, "allowMultiShotPollIn", "()Z"),
                Weave.NETTY_URING_MULTISHOT_POLL, null));
        points.add(new HookPoint(Target.NETTY_URING_STREAM_CHANNEL, Feature.URING_READ_LOOP, Shape.exactly(false, "socketIsEmpty", "(I)Z"),
                Weave.NETTY_URING_SOCKET_IS_EMPTY, null));
        for (Target t : List.of(Target.NETTY_SOCKET, Target.NETTY_EPOLL_SOCKET, Target.NETTY_URING_SOCKET)) {
            for (String[] o : NETTY_OPTIONS) {
                boolean set = o[0].startsWith("set");
                points.add(new HookPoint(t, Feature.OPTIONS, Shape.exactly(false, o[0], o[1]),
                        set ? Weave.NETTY_OPTION_SET : Weave.NETTY_OPTION_GET, o[2]));
            }
        }
        return List.copyOf(points);
    }
}
