package org.mptcp4j.spring.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpSockets;
import org.mptcp4j.internal.policy.Policy;
import org.mptcp4j.internal.policy.Setting;
import org.mptcp4j.netty.MptcpChannelFactories;
import org.mptcp4j.netty.MptcpNetty;

/**
 * The starter's policy, read from Spring properties, and the sockets and channel factories under it.
 * Tomcat builds its protocol handler by class name, so the handler finds the settings here ({@link #active()}).
 */
public final class MptcpSettings {
    private static volatile MptcpSettings active;

    private final Policy policy;

    private MptcpSettings(Policy policy) {
        this.policy = policy;
    }

    /** Reads {@code mptcp4j.<key>} for every policy key; a bad value is an exception with one line naming it. */
    public static MptcpSettings activate(Function<String, String> properties) {
        Map<String, Setting.Given> given = new LinkedHashMap<>();
        for (String key : Policy.KEYS) {
            String value = properties.apply("mptcp4j." + key);
            if (value != null) {
                given.put(key, new Setting.Given(value, "Spring property mptcp4j." + key));
            }
        }
        Policy policy = Policy.parse(given);
        if (policy.error().isPresent()) {
            throw new BadSettingException("mptcp4j: " + policy.error().get());
        }
        MptcpSettings settings = new MptcpSettings(policy);
        active = settings;
        return settings;
    }

    /** The settings of the running application context; null before one activated them. */
    static MptcpSettings active() {
        return active;
    }

    public Policy policy() {
        return policy;
    }

    MptcpSockets sockets() {
        return policy.strict() ? Mptcp.strict() : Mptcp.sockets();
    }

    MptcpChannelFactories channels() {
        return policy.strict() ? MptcpNetty.strict() : MptcpNetty.channels();
    }
}
