package org.mptcp4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.Requirements;
import org.mptcp4j.internal.jdk.JdkConstructors;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.jdk.PlatformSocketCreation;
import org.mptcp4j.internal.policy.Policy;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * The system-property path's SocketImpl puts a client on an MPTCP socket when the JDK has created its own,
 * and puts it back on TCP at connect for a destination the policy keeps there; what the kernel says about
 * the socket behind the JDK's fd is the proof. Loopback only: a plain TCP listener accepts both kinds.
 */
class MptcpSocketImplTest {
    private ServerSocket listener;

    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** The sockets a test opened, closed after it (what it asserts on is the kernel's state before that). */
    private final List<MptcpSocketImpl> opened = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (MptcpSocketImpl impl : opened) {
            impl.close();
        }
        listener.close();
    }

    private static Engine engine(String settings) {
        return new Engine(Policy.fromAgentArgs(settings, new Properties(), Map.of()));
    }

    /** Created over an MPTCP socket (this JDK's platform impl given mptcp4j's socket), or, with {@code jdkFirst}, the JDK's replaced. */
    private static MptcpSocketImpl created(Engine engine, boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = new MptcpSocketImpl(JdkConstructors.platformSocketImpl(false), false, engine,
                jdkFirst ? null : PlatformSocketCreation.get());
        impl.create(true);
        return impl;
    }

    /** As {@link #created}, closed after the test. */
    private MptcpSocketImpl opened(Engine engine, boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = created(engine, jdkFirst);
        opened.add(impl);
        return impl;
    }

    private static int kernel(SocketImpl impl, int level, int option) throws Exception {
        return NativeSockets.getIntOption(JdkInternals.handle(((MptcpSocketImpl) impl).delegate()).fd(), level, option);
    }

    private InetSocketAddress loopbackListener() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    @Test
    void thisJdksPlatformImplIsCreatedOverMptcp4jsSocket() {
        assertNotNull(PlatformSocketCreation.get(), "NioSocketImpl of a shape mptcp4j knows: " + PlatformSocketCreation.whyUnavailable());
    }

    @ParameterizedTest(name = "JDK's socket first: {0}")
    @ValueSource(booleans = {false, true})
    void aClientIsAnMptcpSocketAsSoonAsItIsCreated(boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = opened(engine(""), jdkFirst);
        assertEquals(Linux.IPPROTO_MPTCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
    }

    @ParameterizedTest(name = "JDK's socket first: {0}")
    @ValueSource(booleans = {false, true})
    void itKeepsTheFamilyTheJdkCreatedItsSocketIn(boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = opened(engine(""), jdkFirst);
        try (java.nio.channels.SocketChannel reference = java.nio.channels.SocketChannel.open()) {
            int family = NativeSockets.getIntOption(JdkInternals.handle(reference).fd(), Linux.SOL_SOCKET, Linux.SO_DOMAIN);
            assertEquals(family, kernel(impl, Linux.SOL_SOCKET, Linux.SO_DOMAIN));
            if (family == Linux.AF_INET6) {
                assertEquals(0, kernel(impl, Linux.IPPROTO_IPV6, Linux.IPV6_V6ONLY), "dual-stack, as the JDK's");
            }
        }
    }

    @ParameterizedTest(name = "JDK's socket first: {0}")
    @ValueSource(booleans = {false, true})
    void aDestinationThePolicyKeepsOnTcpConnectsOverTcp(boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = opened(engine(""), jdkFirst); // loopback stays TCP by default
        impl.connect(loopbackListener(), 5_000);
        listener.accept().close();
        assertEquals(Linux.IPPROTO_TCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
    }

    @ParameterizedTest(name = "JDK's socket first: {0}")
    @ValueSource(booleans = {false, true})
    void aDestinationThePolicyAllowsConnectsOnTheSocketMadeAtCreation(boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = opened(engine("loopback=mptcp"), jdkFirst);
        impl.connect(loopbackListener(), 5_000);
        listener.accept().close();
        assertEquals(Linux.IPPROTO_MPTCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
    }

    @ParameterizedTest(name = "JDK's socket first: {0}")
    @ValueSource(booleans = {false, true})
    void anOptionMptcpRefusesIsGivenForRealWhenTheSocketGoesBackToTcp(boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = opened(engine(""), jdkFirst);
        impl.setOption(java.net.SocketOptions.SO_OOBINLINE, Boolean.TRUE);
        assertEquals(Boolean.TRUE, impl.getOption(java.net.SocketOptions.SO_OOBINLINE), "answered while MPTCP");
        impl.connect(loopbackListener(), 5_000);
        listener.accept().close();
        assertEquals(1, kernel(impl, Linux.SOL_SOCKET, 10 /* SO_OOBINLINE */), "set in the kernel on the TCP socket");
    }

    @ParameterizedTest(name = "JDK's socket first: {0}")
    @ValueSource(booleans = {false, true})
    void aClientBoundBeforeConnectKeepsItsAddressWhenItGoesBackToTcp(boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = opened(engine(""), jdkFirst);
        impl.bind(InetAddress.getLoopbackAddress(), 0);
        int port = org.mptcp4j.internal.sys.Sockaddr.port(NativeSockets.getsockname(JdkInternals.handle(impl.delegate()).fd()));
        impl.connect(loopbackListener(), 5_000);
        try (java.net.Socket accepted = listener.accept()) {
            assertEquals(port, accepted.getPort(), "the server sees the port the client bound");
        }
        assertEquals(Linux.IPPROTO_TCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
    }

    @ParameterizedTest(name = "JDK's socket first: {0}")
    @ValueSource(booleans = {false, true})
    void aPolicyWithoutClientsLeavesTheJdksSocketAsItIs(boolean jdkFirst) throws Exception {
        MptcpSocketImpl impl = opened(engine("mode=server"), jdkFirst);
        assertEquals(Linux.IPPROTO_TCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
    }

    @Test
    void aClientDroppedWithoutCloseHasItsSocketClosedByTheJdksCleaner() throws Exception {
        int fd = dropped();
        java.nio.file.Path link = java.nio.file.Path.of("/proc/self/fd/" + fd);
        String socket = droppedSocket;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (java.nio.file.Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && socket.equals(java.nio.file.Files.readSymbolicLink(link).toString())) {
            assertTrue(System.nanoTime() < deadline, "fd " + fd + " (" + socket + ") still open 10 s after its SocketImpl became unreachable");
            System.gc();
            Thread.sleep(20); // the cleaner's thread runs after a collection; nothing to poll but the fd itself
        }
        assertNotEquals(0, fd);
    }

    private String droppedSocket;

    /** A client created over an MPTCP socket and left unreachable without close: its fd, and the socket's name in /proc. */
    private int dropped() throws Exception {
        MptcpSocketImpl impl = created(engine(""), false);
        int fd = JdkInternals.handle(impl.delegate()).fd();
        assertEquals(Linux.IPPROTO_MPTCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        droppedSocket = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
        return fd;
    }

    @Test
    void creatingTwiceFailsAsTheJdksCreateDoesAndLeavesNoSocketBehind() throws Exception {
        MptcpSocketImpl impl = opened(engine(""), false);
        long before = openFds();
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> impl.create(true));
        assertEquals("Already created", e.getMessage());
        assertEquals(before, openFds(), "the MPTCP socket made for the second create was closed");
    }

    private static long openFds() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
