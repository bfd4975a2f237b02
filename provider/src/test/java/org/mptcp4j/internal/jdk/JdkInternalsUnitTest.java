package org.mptcp4j.internal.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JDK internals mptcp4j reads are found on the running JDK, by name and type: each kind of JDK
 * socket yields the fd the kernel knows as a socket, and a Selector registration yields the epoll fd
 * and the events the JDK gave the kernel (with {@code java.nio.channels.spi} open, as the agent opens it).
 * No root, no network: unconnected sockets only.
 */
class JdkInternalsUnitTest {

    @Test
    void coreInternalsAreReachable() throws Exception {
        JdkInternals.checkCore();
    }

    @Test
    void socketChannelYieldsItsSocketFd() throws Exception {
        try (SocketChannel ch = SocketChannel.open()) {
            assertIsSocket(JdkInternals.handle(ch).fd());
        }
    }

    @Test
    void serverSocketChannelYieldsItsSocketFd() throws Exception {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            assertIsSocket(JdkInternals.handle(ch).fd());
        }
    }

    @Test
    void asynchronousChannelsYieldTheirSocketFds() throws Exception {
        try (AsynchronousSocketChannel a = AsynchronousSocketChannel.open();
             AsynchronousServerSocketChannel s = AsynchronousServerSocketChannel.open()) {
            assertIsSocket(JdkInternals.handle((NetworkChannel) a).fd());
            assertIsSocket(JdkInternals.handle((NetworkChannel) s).fd());
        }
    }

    @Test
    void javaNetSocketsYieldTheirSocketFdsOnceCreated() throws Exception {
        try (Socket s = new Socket(); ServerSocket ss = new ServerSocket()) {
            s.setSoTimeout(1); // the JDK creates the native socket at the first option
            ss.setSoTimeout(1);
            assertIsSocket(JdkInternals.handle(s).fd());
            assertIsSocket(JdkInternals.handle(ss).fd());
        }
    }

    @Test
    void twoChannelsHaveTwoFds() throws Exception {
        try (SocketChannel a = SocketChannel.open(); SocketChannel b = SocketChannel.open()) {
            assertTrue(JdkInternals.handle(a).fd() != JdkInternals.handle(b).fd());
        }
    }

    @Test
    void selectorRegistrationYieldsEpollFdAndRegisteredEvents() throws Exception {
        try (Selector selector = Selector.open(); SocketChannel ch = SocketChannel.open()) {
            ch.configureBlocking(false);
            assertNotNull(JdkInternals.registrationLock(ch), "AbstractSelectableChannel.regLock");
            ch.register(selector, SelectionKey.OP_CONNECT);
            selector.selectNow(); // the JDK hands pending interest to epoll during a select
            List<JdkInternals.SelectorRegistration> regs = JdkInternals.selectorRegistrations(ch);
            assertEquals(1, regs.size());
            JdkInternals.SelectorRegistration r = regs.get(0);
            assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + r.epfd())).toString().contains("eventpoll"),
                    "epfd " + r.epfd() + " is an epoll instance");
            int events;
            synchronized (r.updateLock()) {
                events = r.registeredEvents();
            }
            assertTrue(events != 0 && events != -1, "registeredEvents read as " + events);
        }
    }

    @Test
    void fdValIsTheDescriptorTheKernelHoldsOpen() throws Exception {
        try (FileInputStream in = new FileInputStream("/dev/null")) {
            int fd = JdkInternals.fdVal(in.getFD());
            assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)));
        }
    }

    @Test
    void fileDescriptorHoldsTheHandlesFd() throws Exception {
        try (SocketChannel ch = SocketChannel.open()) {
            assertEquals(JdkInternals.handle(ch).fd(), JdkInternals.fdVal(JdkInternals.fileDescriptor(ch)));
        }
    }

    @Test
    void unsetDescriptorReadsAsMinusOne() throws Exception {
        assertEquals(-1, JdkInternals.fdVal(new java.io.FileDescriptor()));
    }

    private static void assertIsSocket(int fd) throws IOException {
        assertTrue(fd > 2, "fd " + fd);
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        assertTrue(target.startsWith("socket:["), "fd " + fd + " is " + target);
    }
}
