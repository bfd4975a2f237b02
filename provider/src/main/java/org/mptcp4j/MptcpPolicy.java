package org.mptcp4j;

import java.util.Optional;
import org.mptcp4j.internal.policy.Policy;

/**
 * The policy that decides which sockets become MPTCP, in the agent-argument form
 * ({@code mode=server,exclude=10.0.0.0/8,192.168.0.0/16}); the same keys are the {@code mptcp4j.*}
 * system properties and the {@code MPTCP4J_*} environment variables. For tools that check a policy
 * before handing it to the agent.
 */
public final class MptcpPolicy {
    private MptcpPolicy() {}

    /** Empty when {@code agentArguments} is a valid policy, else the one-line error naming the bad value and what was expected. */
    public static Optional<String> problem(String agentArguments) {
        return Policy.fromAgentArgs(agentArguments, new java.util.Properties(), java.util.Map.of()).error();
    }

    /** The policy {@code agentArguments} give, in normal form with every default spelled out. */
    public static String normalForm(String agentArguments) {
        return Policy.fromAgentArgs(agentArguments, new java.util.Properties(), java.util.Map.of()).toString();
    }
}
