package org.mptcp4j.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.Availability;
import org.mptcp4j.Mptcp;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;
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
 * Cost of MPTCP at socket set-up, on loopback.
 *
 * <ul>
 *   <li>{@code openClose}: open + close only. {@code tcp} is the JDK; {@code mptcp} adds the
 *       upgrade; {@code kernelFloor} is the JDK socket plus one raw MPTCP socket created and closed
 *       (what the kernel charges for an MPTCP socket whatever the library does), so
 *       {@code mptcp - kernelFloor} is the library's own syscalls and Java work.</li>
 *   <li>{@code openConnectClose}: the full client set-up against a listener of the same kind.</li>
 * </ul>
 * The {@code fallback} mode must run where MPTCP is off (the run script uses a network namespace
 * with {@code net.mptcp.enabled=0}): it measures the cost of asking when the answer is no.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED"})
public class SocketSetupBenchmark {
    @Param({"tcp", "mptcp", "kernelFloor"})
    public String mode;

    private ServerSocketChannel listener;
    private InetSocketAddress target;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Availability a = Mptcp.availability();
        if (mode.equals("fallback") ? a.isSupported() : !a.isSupported() && !mode.equals("tcp")) {
            throw new IllegalStateException("mode " + mode + " cannot run here: availability " + a + " (" + Mptcp.availabilityDetail() + ")");
        }
        listener = mode.equals("tcp") || mode.equals("kernelFloor")
                ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                : Mptcp.openServerSocketChannel(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        target = (InetSocketAddress) listener.getLocalAddress();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        listener.close();
    }

    private SocketChannel open() throws IOException {
        switch (mode) {
            case "tcp":
                return SocketChannel.open(StandardProtocolFamily.INET);
            case "kernelFloor": {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET);
                NativeSockets.close(NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, Linux.IPPROTO_MPTCP));
                return ch;
            }
            default:
                return Mptcp.openSocketChannel(StandardProtocolFamily.INET);
        }
    }

    @Benchmark
    public void openClose() throws IOException {
        open().close();
    }

    @Benchmark
    public void openConnectClose() throws IOException {
        try (SocketChannel ch = open()) {
            ch.connect(target);
            listener.accept().close();
        }
    }
}
