package org.mptcp4j.compat.statsd;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.micrometer.statsd.StatsdProtocol;
import java.net.InetSocketAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An unmodified Micrometer StatsD registry (its UDP client runs on its shaded Reactor Netty: native epoll where its
 * library loads, else NIO, a JDK DatagramChannel) sending a counter to a receiver of this program on HOST.
 * Usage: {@code StatsdLines HOST}; prints {@code OK} and the first line that names the counter.
 */
public final class StatsdLines {
    public static void main(String[] args) throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress(args[0], 0));
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            StatsdConfig config = new StatsdConfig() {
                @Override
                public String get(String key) {
                    return null;
                }

                @Override
                public String host() {
                    return args[0];
                }

                @Override
                public int port() {
                    return port;
                }

                @Override
                public StatsdProtocol protocol() {
                    return StatsdProtocol.UDP;
                }

                @Override
                public StatsdFlavor flavor() {
                    return StatsdFlavor.ETSY;
                }

                @Override
                public Duration pollingFrequency() {
                    return Duration.ofMillis(100);
                }

                @Override
                public boolean buffered() {
                    return false;
                }
            };
            StatsdMeterRegistry registry = new StatsdMeterRegistry(config, Clock.SYSTEM);
            Counter counter = Counter.builder("mptcp4j.compat.sent").register(registry);
            ScheduledExecutorService app = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "app");
                t.setDaemon(true);
                return t;
            });
            app.scheduleAtFixedRate(counter::increment, 0, 100, TimeUnit.MILLISECONDS); // the application at work
            try {
                DatagramSocket rx = receiver.socket();
                rx.setSoTimeout(10_000); // nothing in 10 s: SocketTimeoutException, the program fails
                byte[] buffer = new byte[2048];
                for (int i = 0; i < 100; i++) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    rx.receive(p);
                    String line = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                    if (line.startsWith("mptcp4jCompatSent")) { // the Etsy flavour's name for it
                        System.out.println("OK " + line.trim());
                        return;
                    }
                }
                System.out.println("NO LINE FOR THE COUNTER in 100 datagrams");
                System.exit(1);
            } finally {
                app.shutdownNow();
                registry.close();
            }
        }
    }
}
