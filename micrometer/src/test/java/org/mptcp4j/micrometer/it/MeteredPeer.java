package org.mptcp4j.micrometer.it;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.mptcp4j.Mptcp;
import org.mptcp4j.micrometer.MptcpMetrics;

/**
 * {@code serve PORT}: an MPTCP listener from the library with {@link MptcpMetrics} bound to a
 * SimpleMeterRegistry; on a line {@code print N S B} waits (bounded) for N active connections with S
 * subflows that received B bytes in all, then prints every meter between {@code BEGIN} and {@code END}. {@code connect HOST PORT N
 * BYTES} (library) or {@code tcp HOST PORT} (plain JDK): opens, prints {@code CONNECTED}; on {@code go}
 * writes BYTES on each and prints {@code SENT}; closes at end of input.
 */
public final class MeteredPeer {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve":
                serve(Integer.parseInt(args[1]));
                break;
            case "connect":
                connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), true);
                break;
            default:
                connect(args[1], Integer.parseInt(args[2]), 1, 1, false);
        }
    }

    private static void serve(int port) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MptcpMetrics metrics = new MptcpMetrics(Duration.ofMillis(100), Tags.of("app", "metered"));
        metrics.bindTo(registry);
        ServerSocketChannel listener = Mptcp.openServerSocketChannel();
        listener.bind(new InetSocketAddress(port));
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    SocketChannel c = listener.accept();
                    Thread reader = new Thread(() -> drain(c));
                    reader.setDaemon(true);
                    reader.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("READY");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = stdin.readLine()) != null; ) {
            if (line.startsWith("print ")) {
                String[] w = line.split(" ");
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < deadline && (value(registry, "mptcp4j.connections.active") != Double.parseDouble(w[1])
                        || value(registry, "mptcp4j.subflows.active") != Double.parseDouble(w[2])
                        || received(registry) < Double.parseDouble(w[3]))) {
                    Thread.sleep(20); // polling the sampled gauges
                }
                System.out.println("BEGIN");
                for (Meter m : registry.getMeters()) {
                    for (Measurement v : m.measure()) {
                        String tags = m.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
                        System.out.println("METER " + m.getId().getName() + "{" + tags + "} " + (long) v.getValue());
                    }
                }
                System.out.println("END");
            }
        }
        metrics.close();
        listener.close();
        System.out.println("OK served");
    }

    private static double received(SimpleMeterRegistry registry) {
        double sum = 0;
        for (Meter m : registry.find("mptcp4j.subflow.received").meters()) {
            sum += m.measure().iterator().next().getValue();
        }
        return sum;
    }

    private static double value(SimpleMeterRegistry registry, String name) {
        Meter m = registry.find(name).meter();
        return m == null ? -1 : m.measure().iterator().next().getValue();
    }

    private static void drain(SocketChannel c) {
        ByteBuffer b = ByteBuffer.allocate(65536);
        try (c) {
            while (c.read(b) >= 0) {
                b.clear();
            }
        } catch (Exception e) {
            // the test reads the meters
        }
    }

    private static void connect(String host, int port, int n, int bytes, boolean mptcp) throws Exception {
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel c = mptcp ? Mptcp.openSocketChannel() : SocketChannel.open();
            c.connect(new InetSocketAddress(host, port));
            channels.add(c);
        }
        System.out.println("CONNECTED " + (mptcp ? Mptcp.status(channels.get(0)) : "plain"));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = stdin.readLine()) != null; ) {
            if (line.equals("go")) {
                for (SocketChannel c : channels) {
                    ByteBuffer b = ByteBuffer.allocate(bytes);
                    while (b.hasRemaining()) {
                        c.write(b);
                    }
                }
                System.out.println("SENT");
            }
        }
        for (SocketChannel c : channels) {
            c.close();
        }
        System.out.println("OK closed");
    }

}
