package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MPTCP sockets from the library behave as ordinary JDK sockets: selectors, timeouts, factories, virtual threads. */
class UsabilityTest {
    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    @Test
    void nonBlockingChannelsWorkWithASelector() throws Exception {
        try (Selector selector = Selector.open();
             ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET);
             SocketChannel client = Mptcp.openSocketChannel(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            client.configureBlocking(false);
            client.connect(listener.getLocalAddress());
            client.register(selector, SelectionKey.OP_CONNECT);
            SocketChannel accepted = null;
            String received = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!received.equals("ping") && System.nanoTime() < deadline) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        accepted = listener.accept();
                        accepted.configureBlocking(false);
                        accepted.register(selector, SelectionKey.OP_READ);
                    } else if (key.isConnectable() && client.finishConnect()) {
                        client.write(ByteBuffer.wrap("ping".getBytes()));
                        key.interestOps(0);
                    } else if (key.isReadable()) {
                        ByteBuffer b = ByteBuffer.allocate(16);
                        int n = ((SocketChannel) key.channel()).read(b);
                        received += new String(b.array(), 0, Math.max(n, 0));
                    }
                }
                selector.selectedKeys().clear();
            }
            assertEquals("ping", received);
            assertEquals(MptcpStatus.MPTCP, Mptcp.status(accepted));
            accepted.close();
        }
    }

    @Test
    void readTimeoutOnSocketFires() throws Exception {
        try (ServerSocket server = Mptcp.newServerSocket(0); Socket client = Mptcp.newSocket()) {
            client.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 5000);
            try (Socket accepted = server.accept()) {
                client.setSoTimeout(200);
                InputStream in = client.getInputStream();
                assertThrows(SocketTimeoutException.class, in::read);
                assertEquals(MptcpStatus.MPTCP, Mptcp.status(client));
            }
        }
    }

    @Test
    void socketFactoryConnectsMptcpSockets() throws Exception {
        try (ServerSocket server = Mptcp.serverSocketFactory().createServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            SocketFactory factory = Mptcp.socketFactory();
            try (Socket s = factory.createSocket("127.0.0.1", server.getLocalPort()); Socket a = server.accept()) {
                s.getOutputStream().write(42);
                assertEquals(42, a.getInputStream().read());
                assertEquals(MptcpStatus.MPTCP, Mptcp.status(s));
                assertEquals(MptcpStatus.MPTCP, Mptcp.status(a));
            }
        }
    }

    @Test
    void socketFactoryReportsUnknownHost() {
        assertThrows(java.net.UnknownHostException.class,
                () -> Mptcp.socketFactory().createSocket("no-such-host.invalid", 80));
    }

    @Test
    void badPortIsRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mptcp.newServerSocket(70000));
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
    }

    @Test
    void closingMptcpChannelsAndSocketsRecordsHowEachConnectionEnded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("close.jfr");
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable("org.mptcp4j.ConnectionClosed");
            r.start();
            try (ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET)) {
                listener.bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = Mptcp.openSocketChannel(StandardProtocolFamily.INET);
                client.connect(listener.getLocalAddress());
                SocketChannel accepted = listener.accept();
                client.write(ByteBuffer.allocate(1000));
                ByteBuffer in = ByteBuffer.allocate(1000);
                while (in.hasRemaining()) {
                    accepted.read(in);
                }
                client.close();
                accepted.close();
                Socket socket = Mptcp.newSocket();
                socket.connect(listener.getLocalAddress());
                socket.getOutputStream().write(new byte[7]);
                SocketChannel second = listener.accept();
                socket.close();
                second.close();
            }
            r.stop();
            r.dump(file);
        }
        java.util.List<jdk.jfr.consumer.RecordedEvent> events = new java.util.ArrayList<>();
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals("org.mptcp4j.ConnectionClosed")) {
                events.add(e);
            }
        }
        assertEquals(4, events.size(), "client, accepted, socket, accepted: " + events);
        assertEquals(1000, events.get(0).getLong("bytesSent"), "the channel client's end: " + events.get(0));
        assertEquals(1000, events.get(1).getLong("bytesReceived"), "the accepted end: " + events.get(1));
        assertEquals(7, events.get(2).getLong("bytesSent"), "the java.net.Socket's end: " + events.get(2));
        for (jdk.jfr.consumer.RecordedEvent e : events) {
            assertEquals("MPTCP", e.getString("outcome"), e.toString());
            assertEquals(1, e.getInt("subflows"), "one subflow on loopback: " + e);
        }
    }

    @Test
    void infoCountsTheBytesSentAndNamesTheSubflowEndpoints() throws Exception {
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET);
             SocketChannel client = Mptcp.openSocketChannel(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            client.connect(listener.getLocalAddress());
            try (SocketChannel accepted = listener.accept()) {
                ByteBuffer data = ByteBuffer.allocate(300_000);
                while (data.hasRemaining()) {
                    client.write(data);
                }
                ByteBuffer sink = ByteBuffer.allocate(1 << 16);
                long got = 0;
                while (got < 300_000) {
                    got += accepted.read(sink.clear());
                }
                MptcpInfo info = Mptcp.info(client).orElseThrow();
                assertEquals(300_000, info.bytesSent());
                assertTrue(info.token() != 0, "token");
                assertEquals(1, info.subflows().size(), "one subflow on loopback");
                SubflowInfo sf = info.subflows().get(0);
                assertEquals(client.getLocalAddress(), sf.local());
                assertEquals(listener.getLocalAddress(), sf.remote());
                assertEquals("lo", sf.interfaceName().orElse("?"));
                assertTrue(sf.bytesSent() >= 300_000, "subflow bytes " + sf.bytesSent());
                assertTrue(sf.established());
                assertEquals(300_000, Mptcp.info(accepted).orElseThrow().bytesReceived());
            }
        }
    }

    @Test
    void blockingEchoWorksOnVirtualThreads() throws Throwable {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        ExecutorService vts = (ExecutorService) MethodHandles.publicLookup()
                .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class))
                .invoke();
        try (ServerSocket server = Mptcp.newServerSocket(0)) {
            Future<MptcpStatus> serverSide = vts.submit(() -> {
                try (Socket a = server.accept()) {
                    InputStream in = a.getInputStream();
                    OutputStream out = a.getOutputStream();
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                    }
                    return Mptcp.status(a);
                }
            });
            Future<Long> clientSide = vts.submit(() -> {
                try (Socket s = Mptcp.newSocket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
                    byte[] msg = new byte[100_000];
                    s.getOutputStream().write(msg);
                    s.shutdownOutput();
                    return s.getInputStream().transferTo(OutputStream.nullOutputStream());
                }
            });
            assertEquals(100_000L, clientSide.get(30, TimeUnit.SECONDS));
            assertEquals(MptcpStatus.MPTCP, serverSide.get(30, TimeUnit.SECONDS));
        } finally {
            vts.shutdownNow();
        }
    }
}
