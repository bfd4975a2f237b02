package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Unmodified NIO client that registers its channel with a Selector (OP_CONNECT) and lets the Selector
 * run once before connect(), so the fd is in the Selector's epoll set when it connects; then drives
 * connect and a 1 MiB echo through that Selector alone. Prints the epoll entries of the process before
 * registration, after the Selector ran and after connect (read from /proc/self/fdinfo), then OK.
 * Usage: SelectorBeforeConnect HOST.
 */
public final class SelectorBeforeConnect {
    public static void main(String[] args) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(args[0], 0));
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept().socket()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            echo.start();
            byte[] data = new byte[1 << 20];
            Arrays.fill(data, (byte) 3);
            try (Selector selector = Selector.open(); SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                int before = epollEntries();
                SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
                selector.selectNow(); // the Selector adds the fd to its epoll set here, before connect()
                selector.selectedKeys().clear();
                int registered = epollEntries();
                ch.connect(server.getLocalAddress());
                int connecting = epollEntries();
                ByteBuffer out = ByteBuffer.wrap(data);
                ByteBuffer in = ByteBuffer.allocate(data.length);
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (in.hasRemaining()) {
                    if (System.nanoTime() > deadline) {
                        System.out.println("STALLED read " + in.position() + " of " + data.length + " (the Selector saw nothing)");
                        System.exit(1);
                    }
                    if (selector.select(1000) == 0) {
                        continue;
                    }
                    selector.selectedKeys().clear();
                    if (key.isConnectable() && ch.finishConnect()) {
                        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    }
                    if (key.isValid() && key.isWritable()) {
                        ch.write(out);
                        if (!out.hasRemaining()) {
                            ch.shutdownOutput();
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (key.isValid() && key.isReadable() && ch.read(in) < 0) {
                        break;
                    }
                }
                System.out.println("EPOLL before=" + before + " registered=" + registered + " connecting=" + connecting);
                System.out.println(Arrays.equals(data, in.array()) ? "OK " + in.position() : "MISMATCH " + in.position());
            }
            echo.join();
        }
    }

    /** Entries of every epoll set in this process ({@code tfd:} lines of /proc/self/fdinfo). */
    private static int epollEntries() throws Exception {
        int n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[eventpoll]")) {
                        n += (int) Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString())).stream()
                                .filter(l -> l.startsWith("tfd:")).count();
                    }
                } catch (java.io.IOException gone) {
                    // closed while listing
                }
            }
        }
        return n;
    }
}
