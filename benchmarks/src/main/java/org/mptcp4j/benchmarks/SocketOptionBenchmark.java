package org.mptcp4j.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.mptcp4j.Mptcp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the option-tolerant channel class costs on the socket-option path, on a connected loopback
 * channel: {@code jdk} is the JDK's SocketChannel on TCP, {@code jdkOnMptcp} the JDK's own class on
 * an MPTCP socket ({@code Mptcp.upgrade}: the kernel's MPTCP cost without the subclass; a refused
 * option throws there, caught), {@code mptcp4j} the library's MPTCP channel (the sun.nio.ch subclass). {@code setGetNoDelay} is an option both kernels take (the
 * subclass's only extra work is a try block and a lock-free "anything recorded?" check);
 * {@code setGetQuickAck} ({@code jdk.net.ExtendedSocketOptions.TCP_QUICKACK}) is one MPTCP refuses: on {@code mptcp4j} the kernel says EOPNOTSUPP and
 * RefusedOptions records the value, on {@code jdk} (TCP) the kernel takes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED"})
public class SocketOptionBenchmark {
    @Param({"jdk", "jdkOnMptcp", "mptcp4j"})
    public String channel;

    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel accepted;
    private boolean flag;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        boolean jdk = channel.equals("jdk");
        listener = jdk ? ServerSocketChannel.open(StandardProtocolFamily.INET) : Mptcp.openServerSocketChannel(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        client = jdk ? SocketChannel.open(StandardProtocolFamily.INET)
                : channel.equals("jdkOnMptcp") ? Mptcp.upgrade(SocketChannel.open(StandardProtocolFamily.INET))
                : Mptcp.openSocketChannel(StandardProtocolFamily.INET);
        client.connect(listener.getLocalAddress());
        accepted = listener.accept();
        if (!jdk && Mptcp.status(client) != org.mptcp4j.MptcpStatus.MPTCP) {
            throw new IllegalStateException("the mptcp4j channel is not MPTCP here: " + Mptcp.status(client));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        accepted.close();
        client.close();
        listener.close();
    }

    @Benchmark
    public boolean setGetNoDelay() throws IOException {
        flag = !flag;
        client.setOption(StandardSocketOptions.TCP_NODELAY, flag);
        return client.getOption(StandardSocketOptions.TCP_NODELAY);
    }

    @Benchmark
    public boolean setGetQuickAck() throws IOException {
        flag = !flag;
        try {
            client.setOption(ExtendedSocketOptions.TCP_QUICKACK, flag);
            return client.getOption(ExtendedSocketOptions.TCP_QUICKACK);
        } catch (UnsupportedOperationException refused) { // jdkOnMptcp: the kernel's EOPNOTSUPP reaches the caller
            return false;
        }
    }
}
