package org.mptcp4j.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.Availability;
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
                RawSocket.closeMptcp();
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

    /** One raw MPTCP socket, opened and closed through libc with jffi: the kernel's share, outside mptcp4j's API. */
    private static final class RawSocket {
        private static final int AF_INET = 2;
        private static final int SOCK_STREAM_CLOEXEC = 1 | 02000000;
        private static final int IPPROTO_MPTCP = 262;
        private static final com.kenai.jffi.Invoker INVOKER = com.kenai.jffi.Invoker.getInstance();
        private static final com.kenai.jffi.Function SOCKET = function("socket", com.kenai.jffi.Type.SINT, com.kenai.jffi.Type.SINT,
                com.kenai.jffi.Type.SINT, com.kenai.jffi.Type.SINT);
        private static final com.kenai.jffi.Function CLOSE = function("close", com.kenai.jffi.Type.SINT, com.kenai.jffi.Type.SINT);

        private static com.kenai.jffi.Function function(String name, com.kenai.jffi.Type result, com.kenai.jffi.Type... params) {
            return new com.kenai.jffi.Function(com.kenai.jffi.Library.getDefault().getSymbolAddress(name), result, params);
        }

        static void closeMptcp() throws IOException {
            int fd = INVOKER.invokeI3(SOCKET.getCallContext(), SOCKET.getFunctionAddress(), AF_INET, SOCK_STREAM_CLOEXEC, IPPROTO_MPTCP);
            if (fd < 0) {
                throw new IOException("socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP) failed: errno " + com.kenai.jffi.LastError.getInstance().get());
            }
            INVOKER.invokeI1(CLOSE.getCallContext(), CLOSE.getFunctionAddress(), fd);
        }
    }
}
