package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.Instrumentation;
import org.junit.jupiter.api.Test;

/** The agent's entry points as the JDK finds them (the build's process-classes step flags them). */
class EntryPointsUnitTest {
    @Test
    void premainAndAgentmainAreVarargsSoTheJdkCallsThemWithoutSpinningMethodHandles() throws Exception {
        // by name: javac refuses a class whose varargs method has no trailing array, which is the point for the JDK:
        // its reflection (18+) calls such a method through the native accessor
        Class<?> agent = Class.forName("org.mptcp4j.agent.Agent");
        assertTrue(agent.getMethod("premain", String.class, Instrumentation.class).isVarArgs(), "premain");
        assertTrue(agent.getMethod("agentmain", String.class, Instrumentation.class).isVarArgs(), "agentmain");
    }
}
