package org.mptcp4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mptcp4j.FallbackReason;
import org.mptcp4j.Mptcp;

/** The binder's meters, without the kernel: names, tags, and the counters they read. */
class MptcpMetricsUnitTest {

    @Test
    void everyReasonHasItsOwnCounter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MptcpMetrics m = new MptcpMetrics()) {
            m.bindTo(registry);
            for (FallbackReason r : FallbackReason.values()) {
                assertNotNull(registry.find("mptcp4j.connections").tag("outcome", "fallback")
                        .tag("reason", r.name().toLowerCase(java.util.Locale.ROOT)).functionCounter(), r.name());
            }
            assertNotNull(registry.find("mptcp4j.connections").tag("outcome", "mptcp").tag("reason", "none").functionCounter());
        }
    }

    @Test
    void countersReadTheLibrarysCounters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MptcpMetrics m = new MptcpMetrics()) {
            m.bindTo(registry);
            assertEquals(Mptcp.counters().converted(), registry.get("mptcp4j.sockets").tag("decision", "converted").functionCounter().count());
            assertEquals(Mptcp.counters().keptTcp(), registry.get("mptcp4j.sockets").tag("decision", "kept_tcp").functionCounter().count());
        }
    }

    @Test
    void commonTagsAreOnEveryMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MptcpMetrics m = new MptcpMetrics(Duration.ofSeconds(1), Tags.of("service", "orders"))) {
            m.bindTo(registry);
            registry.getMeters().forEach(meter -> assertEquals("orders", meter.getId().getTag("service"), meter.getId().toString()));
        }
    }

    @Test
    void aTooShortIntervalIsRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MptcpMetrics(Duration.ofMillis(5), Tags.empty()));
        assertEquals("sampling interval PT0.005S is too short (expected at least PT0.1S)", e.getMessage());
    }

    @Test
    void addressesAreSpelledAsThePrometheusEndpointSpellsThem() throws Exception {
        assertEquals("[fd00:0:0:0:0:0:0:1]:443", MptcpMetrics.address(new java.net.InetSocketAddress(java.net.InetAddress.getByName("fd00::1"), 443)));
        assertEquals("198.18.1.1:80", MptcpMetrics.address(new java.net.InetSocketAddress(java.net.InetAddress.getByName("198.18.1.1"), 80)));
    }
}
