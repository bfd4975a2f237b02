package org.mptcp4j.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The system-property path: plain {@code SocketChannel.open()} with
 * {@code -Djava.nio.channels.spi.SelectorProvider=org.mptcp4j.MptcpSelectorProvider}. Compare with
 * {@code SocketSetupBenchmark} mode {@code mptcp} (the library path) from the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
        "-Djava.nio.channels.spi.SelectorProvider=org.mptcp4j.MptcpSelectorProvider"})
public class ProviderSetupBenchmark {
    private ServerSocketChannel listener;
    private InetSocketAddress target;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        if (Mptcp.status(listener) != MptcpStatus.MPTCP) {
            throw new IllegalStateException("the provider is not active: listener is " + Mptcp.status(listener));
        }
        target = (InetSocketAddress) listener.getLocalAddress();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        listener.close();
    }

    @Benchmark
    public void openClose() throws IOException {
        SocketChannel.open(StandardProtocolFamily.INET).close();
    }

    @Benchmark
    public void openConnectClose() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
            ch.connect(target);
            listener.accept().close();
        }
    }
}
