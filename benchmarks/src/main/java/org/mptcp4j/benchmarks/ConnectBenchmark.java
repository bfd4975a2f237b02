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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The connect path an unmodified program pays per outgoing connection: {@code new Socket()}, connect,
 * one byte, close, against a listener of the same JVM on loopback (which accepts, reads the byte and
 * closes). The code knows nothing of MPTCP: {@code benchmarks/agent-jmh.sh} runs it as is (TCP), with its
 * forks under {@code mptcpize run} (the native anchor), and under the agent deciding at connect (a policy
 * that looks at the destination) and at creation, and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AgentConnectBenchmark {
    private ServerSocket listener;
    private Thread acceptor;
    private InetSocketAddress target;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        listener = new ServerSocket();
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
        try (Socket s = new Socket()) {
            s.connect(target);
            s.getOutputStream().write(1);
        }
    }
}
