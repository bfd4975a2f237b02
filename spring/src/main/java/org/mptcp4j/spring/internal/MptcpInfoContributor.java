package org.mptcp4j.spring.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpCounters;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** {@code /actuator/info}'s {@code mptcp4j} entry: availability, policy, counters and open MPTCP connections, from the kernel. */
public final class MptcpInfoContributor implements InfoContributor {
    private final MptcpSettings settings;

    public MptcpInfoContributor(MptcpSettings settings) {
        this.settings = settings;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("availability", Mptcp.availability().name());
        m.put("detail", Mptcp.availabilityDetail());
        m.put("policy", settings.policy().toString());
        MptcpCounters c = Mptcp.counters();
        m.put("converted", c.converted());
        m.put("keptTcp", c.keptTcp());
        m.put("unavailable", c.unavailable());
        m.put("negotiated", c.negotiated());
        Map<String, Long> fellBack = new LinkedHashMap<>();
        c.fellBack().forEach((reason, n) -> {
            if (n > 0) {
                fellBack.put(reason.name(), n);
            }
        });
        m.put("fellBack", fellBack);
        try {
            m.put("connections", Mptcp.connections().size());
        } catch (IOException e) {
            m.put("connections", "unreadable: " + e.getMessage());
        }
        builder.withDetail("mptcp4j", m);
    }
}
