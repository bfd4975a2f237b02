package org.mptcp4j.internal.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NetworkChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mptcp4j.internal.options.RefusedOptions;

/**
 * Asynchronous channels whose socket options MPTCP refuses get {@link RefusedOptions}'s answers.
 * The JDK declares {@code setOption}/{@code getOption} {@code final} in
 * {@code AsynchronousSocketChannelImpl}, so, unlike the blocking channels ({@link ChannelSubclasses}),
 * these cannot be subclasses: they are delegating {@link AsynchronousSocketChannel}s, the way the
 * API lets a provider implement its channels. Every call goes to the JDK's channel unchanged, except
 * a refused set and the matching get; accepted channels are wrapped the same way.
 */
public final class AsynchronousChannels {
    private AsynchronousChannels() {}

    /** A wrapper around one of the JDK's channels (how {@link JdkInternals} finds the fd behind it). */
    interface Wrapper {
        NetworkChannel unwrap();
    }

    /** {@code jdk} answering refused options through RefusedOptions, owned by {@code provider}. */
    public static AsynchronousSocketChannel socket(AsynchronousChannelProvider provider, AsynchronousSocketChannel jdk) {
        return new Socket(provider, jdk, fd(jdk));
    }

    /** {@code jdk} answering refused options through RefusedOptions; what it accepts is wrapped too. */
    public static AsynchronousServerSocketChannel server(AsynchronousChannelProvider provider, AsynchronousServerSocketChannel jdk) {
        return new Server(provider, jdk, fd(jdk));
    }

    private static FileDescriptor fd(NetworkChannel jdk) {
        try {
            return JdkInternals.fileDescriptor(jdk);
        } catch (InternalsUnavailableException e) {
            return null; // RefusedOptions then declines and the kernel's answer stands
        }
    }

    private static <T> void set(NetworkChannel jdk, FileDescriptor fd, SocketOption<T> name, T value) throws IOException {
        JdkOptions.set(() -> jdk.setOption(name, value), fd, name, value);
    }

    private static <T> T get(NetworkChannel jdk, FileDescriptor fd, SocketOption<T> name) throws IOException {
        return JdkOptions.get(() -> jdk.getOption(name), fd, name);
    }

    private static final class Socket extends AsynchronousSocketChannel implements Wrapper {
        private final AsynchronousSocketChannel jdk;
        private final FileDescriptor fd;

        Socket(AsynchronousChannelProvider provider, AsynchronousSocketChannel jdk, FileDescriptor fd) {
            super(provider);
            this.jdk = jdk;
            this.fd = fd;
        }

        @Override
        public NetworkChannel unwrap() {
            return jdk;
        }

        @Override
        public AsynchronousSocketChannel bind(SocketAddress local) throws IOException {
            jdk.bind(local);
            return this;
        }

        @Override
        public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
            set(jdk, fd, name, value);
            return this;
        }

        @Override
        public <T> T getOption(SocketOption<T> name) throws IOException {
            return get(jdk, fd, name);
        }

        @Override
        public Set<SocketOption<?>> supportedOptions() {
            return jdk.supportedOptions();
        }

        @Override
        public AsynchronousSocketChannel shutdownInput() throws IOException {
            jdk.shutdownInput();
            return this;
        }

        @Override
        public AsynchronousSocketChannel shutdownOutput() throws IOException {
            jdk.shutdownOutput();
            return this;
        }

        @Override
        public SocketAddress getRemoteAddress() throws IOException {
            return jdk.getRemoteAddress();
        }

        @Override
        public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
            jdk.connect(remote, attachment, handler);
        }

        @Override
        public Future<Void> connect(SocketAddress remote) {
            return jdk.connect(remote);
        }

        @Override
        public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment, CompletionHandler<Integer, ? super A> handler) {
            jdk.read(dst, timeout, unit, attachment, handler);
        }

        @Override
        public Future<Integer> read(ByteBuffer dst) {
            return jdk.read(dst);
        }

        @Override
        public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                             CompletionHandler<Long, ? super A> handler) {
            jdk.read(dsts, offset, length, timeout, unit, attachment, handler);
        }

        @Override
        public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment, CompletionHandler<Integer, ? super A> handler) {
            jdk.write(src, timeout, unit, attachment, handler);
        }

        @Override
        public Future<Integer> write(ByteBuffer src) {
            return jdk.write(src);
        }

        @Override
        public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                              CompletionHandler<Long, ? super A> handler) {
            jdk.write(srcs, offset, length, timeout, unit, attachment, handler);
        }

        @Override
        public SocketAddress getLocalAddress() throws IOException {
            return jdk.getLocalAddress();
        }

        @Override
        public boolean isOpen() {
            return jdk.isOpen();
        }

        @Override
        public void close() throws IOException {
            jdk.close();
        }

        @Override
        public String toString() {
            return jdk.toString();
        }
    }

    private static final class Server extends AsynchronousServerSocketChannel implements Wrapper {
        private final AsynchronousServerSocketChannel jdk;
        private final FileDescriptor fd;

        Server(AsynchronousChannelProvider provider, AsynchronousServerSocketChannel jdk, FileDescriptor fd) {
            super(provider);
            this.jdk = jdk;
            this.fd = fd;
        }

        @Override
        public NetworkChannel unwrap() {
            return jdk;
        }

        private AsynchronousSocketChannel wrap(AsynchronousSocketChannel accepted) {
            return accepted == null ? null : socket(provider(), accepted);
        }

        @Override
        public AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
            jdk.bind(local, backlog);
            return this;
        }

        @Override
        public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
            set(jdk, fd, name, value);
            return this;
        }

        @Override
        public <T> T getOption(SocketOption<T> name) throws IOException {
            return get(jdk, fd, name);
        }

        @Override
        public Set<SocketOption<?>> supportedOptions() {
            return jdk.supportedOptions();
        }

        @Override
        public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
            jdk.accept(attachment, new CompletionHandler<AsynchronousSocketChannel, A>() {
                @Override
                public void completed(AsynchronousSocketChannel result, A a) {
                    handler.completed(wrap(result), a);
                }

                @Override
                public void failed(Throwable exc, A a) {
                    handler.failed(exc, a);
                }
            });
        }

        @Override
        public Future<AsynchronousSocketChannel> accept() {
            return new Accepted(jdk.accept());
        }

        @Override
        public SocketAddress getLocalAddress() throws IOException {
            return jdk.getLocalAddress();
        }

        @Override
        public boolean isOpen() {
            return jdk.isOpen();
        }

        @Override
        public void close() throws IOException {
            jdk.close();
        }

        @Override
        public String toString() {
            return jdk.toString();
        }

        /** The JDK's accept future, handing out one wrapper per accepted channel however often get() is called. */
        private final class Accepted implements Future<AsynchronousSocketChannel> {
            private final Future<AsynchronousSocketChannel> jdkFuture;
            private AsynchronousSocketChannel wrapped; // guarded by this

            Accepted(Future<AsynchronousSocketChannel> jdkFuture) {
                this.jdkFuture = jdkFuture;
            }

            private synchronized AsynchronousSocketChannel once(AsynchronousSocketChannel accepted) {
                if (wrapped == null) {
                    wrapped = wrap(accepted);
                }
                return wrapped;
            }

            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return jdkFuture.cancel(mayInterruptIfRunning);
            }

            @Override
            public boolean isCancelled() {
                return jdkFuture.isCancelled();
            }

            @Override
            public boolean isDone() {
                return jdkFuture.isDone();
            }

            @Override
            public AsynchronousSocketChannel get() throws InterruptedException, ExecutionException {
                return once(jdkFuture.get());
            }

            @Override
            public AsynchronousSocketChannel get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
                return once(jdkFuture.get(timeout, unit));
            }
        }
    }
}
