package org.mptcp4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
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
 * The connect path a program pays per outgoing connection: a socket, connect, one byte, close, against a
 * listener of the same JVM on loopback (which accepts, reads the byte and closes). {@code javaNet}: plain
 * java.net code ({@code new Socket()}, {@code new ServerSocket()}), which knows nothing of MPTCP;
 * {@code library}: the same through the library ({@code Mptcp.newSocket()}, {@code Mptcp.newServerSocket()}).
 * {@code benchmarks/connect-jmh.sh} runs javaNet as is (TCP), with its forks under {@code mptcpize run} (the
 * native anchor), under the agent deciding at connect and at creation, and under the system properties, and
 * library with the library's flags; and prints the ratios to mptcpize.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConnectBenchmark {
    @Param({"javaNet"})
    public String client;

    private ServerSocket listener;
    private Thread acceptor;
    private InetSocketAddress target;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        listener = client.equals("library") ? org.mptcp4j.Mptcp.newServerSocket() : new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        target = (InetSocketAddress) listener.getLocalSocketAddress();
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                    in.read();
                } catch (IOException e) {
                    // closed at tear-down, or a client gone
                }
            }
        }, "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        listener.close();
    }

    @Benchmark
    public void connectWriteClose() throws IOException {
        try (Socket s = client.equals("library") ? org.mptcp4j.Mptcp.newSocket() : new Socket()) {
            s.connect(target);
            s.getOutputStream().write(1);
        }
    }
}
