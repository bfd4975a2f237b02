package org.mptcp4j.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.mptcp4j.FallbackReason;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpCounters;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/**
 * mptcp4j as Micrometer meters: what it decided for each socket and how each connection came out
 * (counters), and this process's open MPTCP connections with their subflows (sampled).
 *
 * <pre>{@code
 * new MptcpMetrics().bindTo(registry);          // or a @Bean MeterBinder in Spring Boot
 * }</pre>
 *
 * <table>
 * <caption>Meters (Prometheus names in brackets)</caption>
 * <tr><td>{@code mptcp4j.sockets} (counter, tag {@code decision}: converted, kept_tcp, unavailable)</td><td>[mptcp4j_sockets_total]</td></tr>
 * <tr><td>{@code mptcp4j.connections} (counter, tags {@code outcome}: mptcp, fallback; {@code reason}: none or a
 *   {@link FallbackReason} in lower case)</td><td>[mptcp4j_connections_total]</td></tr>
 * <tr><td>{@code mptcp4j.available} (gauge, tag {@code availability})</td><td>[mptcp4j_available]</td></tr>
 * <tr><td>{@code mptcp4j.connections.active}, {@code mptcp4j.subflows.active} (gauges)</td><td>[mptcp4j_connections_active, ...]</td></tr>
 * <tr><td>{@code mptcp4j.subflow.sent}, {@code .received} (gauges in bytes, tags {@code interface}, {@code local},
 *   {@code remote}: one per subflow of an open connection)</td><td>[mptcp4j_subflow_sent_bytes, ...]</td></tr>
 * <tr><td>{@code mptcp4j.interface.sent}, {@code .received} (gauges in bytes, tag {@code interface}: the open
 *   connections' subflows summed per local interface)</td><td>[mptcp4j_interface_sent_bytes, ...]</td></tr>
 * </table>
 *
 * <p>The names are those of the agent's Prometheus endpoint, so one dashboard reads either. The counters
 * come from the MBean {@code org.mptcp4j:type=Mptcp} when one is registered (under the agent, that is
 * the agent's), else from {@link Mptcp#counters()}. The connections are sampled from the kernel every
 * sampling interval on one daemon thread, which {@link #close()} stops.
 */
public final class MptcpMetrics implements MeterBinder, AutoCloseable {
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Duration interval;
    private final Tags tags;
    private final CounterSource counters = new CounterSource();
    private final List<Sampled> bound = new ArrayList<>(); // one per registry bound to

    /** The meters one registry got whose rows each sample replaces. */
    private record Sampled(MultiGauge sent, MultiGauge received, MultiGauge interfaceSent, MultiGauge interfaceReceived) {}
    private volatile List<MptcpInfo> live = List.of();
    private ScheduledExecutorService sampler;

    /** Samples the open connections every 10 seconds. */
    public MptcpMetrics() {
        this(DEFAULT_INTERVAL, Tags.empty());
    }

    /**
     * Samples the open connections every {@code interval} (at least 100 ms: each sample is a sock_diag
     * dump and a walk of this process's fds), with {@code tags} on every meter.
     */
    public MptcpMetrics(Duration interval, Iterable<io.micrometer.core.instrument.Tag> tags) {
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("sampling interval " + interval + " is too short (expected at least PT0.1S)");
        }
        this.interval = interval;
        this.tags = Tags.of(tags);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        counter(registry, "mptcp4j.sockets", "Stream sockets mptcp4j decided about, by decision",
                Tags.of("decision", "converted"), MptcpCounters::converted);
        counter(registry, "mptcp4j.sockets", "Stream sockets mptcp4j decided about, by decision",
                Tags.of("decision", "kept_tcp"), MptcpCounters::keptTcp);
        counter(registry, "mptcp4j.sockets", "Stream sockets mptcp4j decided about, by decision",
                Tags.of("decision", "unavailable"), MptcpCounters::unavailable);
        counter(registry, "mptcp4j.connections", "Connections mptcp4j saw complete, by outcome and fallback reason",
                Tags.of("outcome", "mptcp", "reason", "none"), MptcpCounters::negotiated);
        for (FallbackReason r : FallbackReason.values()) {
            counter(registry, "mptcp4j.connections", "Connections mptcp4j saw complete, by outcome and fallback reason",
                    Tags.of("outcome", "fallback", "reason", r.name().toLowerCase(Locale.ROOT)), c -> c.fellBack(r));
        }
        Gauge.builder("mptcp4j.available", () -> Mptcp.availability().isSupported() ? 1 : 0)
                .description("1 when this process can create MPTCP sockets")
                .tags(tags).tag("availability", Mptcp.availability().name().toLowerCase(Locale.ROOT))
                .register(registry);
        Gauge.builder("mptcp4j.connections.active", this, m -> m.live.size())
                .description("Open connections of this process that negotiated MPTCP").tags(tags).register(registry);
        Gauge.builder("mptcp4j.subflows.active", this, MptcpMetrics::establishedSubflows)
                .description("Established subflows of those connections").tags(tags).register(registry);
        bound.add(new Sampled(
                multi(registry, "mptcp4j.subflow.sent", "Bytes sent on each subflow of the open MPTCP connections"),
                multi(registry, "mptcp4j.subflow.received", "Bytes received on each subflow of the open MPTCP connections"),
                multi(registry, "mptcp4j.interface.sent", "Bytes sent by the open MPTCP connections' subflows, per local interface"),
                multi(registry, "mptcp4j.interface.received", "Bytes received by the open MPTCP connections' subflows, per local interface")));
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mptcp4j-metrics");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleWithFixedDelay(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops sampling; the meters keep their last values. */
    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra, ToDoubleFunction<MptcpCounters> value) {
        FunctionCounter.builder(name, counters, s -> value.applyAsDouble(s.read()))
                .description(description).tags(tags).tags(extra).register(registry);
    }

    private MultiGauge multi(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).baseUnit("bytes").tags(tags).register(registry);
    }

    private double establishedSubflows() {
        long n = 0;
        for (MptcpInfo i : live) {
            n += i.establishedSubflows();
        }
        return n;
    }

    /** One sample of the kernel; rows of subflows that are gone are dropped (overwrite). */
    void sample() {
        List<MptcpInfo> now;
        try {
            now = Mptcp.connections();
        } catch (Exception | LinkageError e) {
            System.getLogger("org.mptcp4j").log(Level.DEBUG, "mptcp4j: connections not sampled: " + e);
            now = List.of();
        }
        live = now;
        List<MultiGauge.Row<?>> sent = new ArrayList<>();
        List<MultiGauge.Row<?>> received = new ArrayList<>();
        Map<String, long[]> perInterface = new TreeMap<>();
        for (MptcpInfo i : now) {
            for (SubflowInfo s : i.subflows()) {
                String nif = s.interfaceName().orElse("");
                Tags t = Tags.of("interface", nif, "local", address(s.local()), "remote", address(s.remote()));
                sent.add(MultiGauge.Row.of(t, s.bytesSent()));
                received.add(MultiGauge.Row.of(t, s.bytesReceived()));
                long[] sum = perInterface.computeIfAbsent(nif, k -> new long[2]);
                sum[0] += s.bytesSent();
                sum[1] += s.bytesReceived();
            }
        }
        List<MultiGauge.Row<?>> ifSent = new ArrayList<>();
        List<MultiGauge.Row<?>> ifReceived = new ArrayList<>();
        for (Map.Entry<String, long[]> e : perInterface.entrySet()) {
            ifSent.add(MultiGauge.Row.of(Tags.of("interface", e.getKey()), e.getValue()[0]));
            ifReceived.add(MultiGauge.Row.of(Tags.of("interface", e.getKey()), e.getValue()[1]));
        }
        List<Sampled> registries;
        synchronized (this) {
            registries = List.copyOf(bound);
        }
        for (Sampled m : registries) {
            m.sent().register(sent, true);
            m.received().register(received, true);
            m.interfaceSent().register(ifSent, true);
            m.interfaceReceived().register(ifReceived, true);
        }
    }

    /** {@code 198.18.1.1:43210}, {@code [fd00::1]:443}: as the Prometheus endpoint spells it. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        String host = a.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        host = scope < 0 ? host : host.substring(0, scope);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The JVM's counters: the registered MBean's when there is one (the agent's, under the agent), else this copy's. */
    private static final class CounterSource {
        private volatile Object proxy; // an MptcpMXBean proxy, once the MBean is there

        MptcpCounters read() {
            try {
                org.mptcp4j.MptcpMXBean bean = mbean();
                if (bean != null) {
                    Map<FallbackReason, Long> fellBack = new java.util.EnumMap<>(FallbackReason.class);
                    fellBack.put(FallbackReason.PEER_WITHOUT_MPTCP, bean.getFellBackPeerWithoutMptcp());
                    fellBack.put(FallbackReason.OPTION_REMOVED, bean.getFellBackOptionRemoved());
                    fellBack.put(FallbackReason.SYN_DROPPED, bean.getFellBackSynDropped());
                    fellBack.put(FallbackReason.BLACKHOLE, bean.getFellBackBlackhole());
                    fellBack.put(FallbackReason.STREAM_CHANGED, bean.getFellBackStreamChanged());
                    fellBack.put(FallbackReason.PLAIN_CLIENT, bean.getFellBackPlainClient());
                    fellBack.put(FallbackReason.UNKNOWN, bean.getFellBackUnknown());
                    return new MptcpCounters(bean.getConverted(), bean.getKeptTcp(), bean.getUnavailable(), bean.getNegotiated(), fellBack);
                }
            } catch (RuntimeException | javax.management.JMException | LinkageError e) {
                proxy = null; // unregistered meanwhile, or no java.management: this copy's counters
            }
            return Mptcp.counters();
        }

        private org.mptcp4j.MptcpMXBean mbean() throws javax.management.MalformedObjectNameException {
            Object p = proxy;
            if (p == null) {
                javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
                javax.management.ObjectName name = new javax.management.ObjectName("org.mptcp4j:type=Mptcp");
                if (!server.isRegistered(name)) {
                    return null;
                }
                p = javax.management.JMX.newMXBeanProxy(server, name, org.mptcp4j.MptcpMXBean.class);
                proxy = p;
            }
            return (org.mptcp4j.MptcpMXBean) p;
        }
    }
}
