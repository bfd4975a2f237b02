package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mptcp4j.internal.policy.AddressRule;
import org.mptcp4j.internal.policy.Policy;

/** The policy: one syntax for properties and agent arguments, one decision function. */
class PolicyUnitTest {
    static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void defaultsConvertEverythingButLoopbackClients() throws Exception {
        Policy p = Policy.defaults();
        assertTrue(p.client(at("198.18.0.1", 80)));
        assertFalse(p.client(at("127.0.0.1", 80)));
        assertFalse(p.client(at("::1", 80)));
        assertFalse(p.client(at("::ffff:127.0.0.1", 80)), "IPv4-mapped loopback is loopback");
        assertTrue(p.server(at("0.0.0.0", 80)));
    }

    @Test
    void agentArgumentsAndPropertiesParseTheSame() {
        Policy fromArgs = Policy.fromAgentArgs("mode=client,exclude=10.0.0.0/8,192.168.0.0/16,loopback=mptcp");
        Properties props = new Properties();
        props.setProperty("mptcp4j.mode", "client");
        props.setProperty("mptcp4j.exclude", "10.0.0.0/8,192.168.0.0/16");
        props.setProperty("mptcp4j.loopback", "mptcp");
        assertEquals(fromArgs.toString(), Policy.fromProperties(props).toString());
        assertEquals("mode=client,exclude=10.0.0.0/8,192.168.0.0/16,loopback=mptcp,strict=false,log=warning", fromArgs.toString());
    }

    @Test
    void excludeWinsOverInclude() throws Exception {
        Policy p = Policy.fromAgentArgs("include=198.18.0.0/15,exclude=198.18.5.0/24");
        assertTrue(p.client(at("198.18.1.1", 1)));
        assertFalse(p.client(at("198.18.5.1", 1)));
        assertFalse(p.client(at("203.0.113.1", 1)), "outside the include list");
    }

    @Test
    void explicitIncludeOverridesTheLoopbackDefault() throws Exception {
        assertTrue(Policy.fromAgentArgs("include=127.0.0.0/8").client(at("127.0.0.1", 5)));
    }

    @Test
    void portAndHostRulesMatch() throws Exception {
        Policy p = Policy.fromAgentArgs("exclude=:22,*.internal.example,db.example:5432");
        assertFalse(p.client(at("198.18.0.1", 22)));
        assertTrue(p.client(at("198.18.0.1", 443)));
        assertFalse(p.client(InetSocketAddress.createUnresolved("a.internal.example", 80)));
        assertFalse(p.client(new InetSocketAddress(InetAddress.getByAddress("db.example", new byte[] {(byte) 198, 18, 0, 9}), 5432)));
        assertTrue(p.client(new InetSocketAddress(InetAddress.getByAddress("db.example", new byte[] {(byte) 198, 18, 0, 9}), 5433)));
    }

    @Test
    void ipv6CidrAndBracketedPort() throws Exception {
        AddressRule r = AddressRule.parse("[2001:db8::1]:443");
        assertTrue(r.matches(at("2001:db8::1", 443)));
        assertFalse(r.matches(at("2001:db8::1", 80)));
        assertTrue(AddressRule.parse("2001:db8::/32").matches(at("2001:db8:ffff::2", 1)));
        assertFalse(AddressRule.parse("2001:db8::/32").matches(at("2001:db9::2", 1)));
        assertTrue(AddressRule.parse("198.18.0.0/15").matches(at("198.19.255.255", 1)));
        assertFalse(AddressRule.parse("198.18.0.0/15").matches(at("198.20.0.0", 1)));
    }

    @Test
    void modesSelectTheSide() throws Exception {
        assertFalse(Policy.fromAgentArgs("mode=server").client(at("198.18.0.1", 1)));
        assertTrue(Policy.fromAgentArgs("mode=server").server());
        assertFalse(Policy.fromAgentArgs("mode=client").server());
        assertFalse(Policy.fromAgentArgs("mode=off").client(at("198.18.0.1", 1)));
    }

    @Test
    void badModeIsNamedAndTurnsEverythingOff() throws Exception {
        Policy p = Policy.fromAgentArgs("mode=sever");
        assertEquals("bad value for agent argument mode: \"sever\" (expected all, client, server or off)", p.error().orElseThrow());
        assertEquals(Policy.Mode.OFF, p.mode());
        assertFalse(p.client(at("198.18.0.1", 1)));
    }

    @Test
    void badRuleNamesTheEntryAndTheForms() {
        Policy p = Policy.fromAgentArgs("exclude=10.0.0.0/33");
        assertTrue(p.error().orElseThrow().contains("\"10.0.0.0/33\": prefix length must be 0-32"), p.error().get());
        assertTrue(Policy.fromAgentArgs("exclude=:99999").error().orElseThrow().contains("port must be 1-65535"));
        assertTrue(Policy.fromAgentArgs("include=bad_host!").error().orElseThrow().contains("not a host name"));
    }

    @Test
    void unknownKeyIsNamed() {
        Properties props = new Properties();
        props.setProperty("mptcp4j.mdoe", "client");
        assertEquals("unknown setting -Dmptcp4j.mdoe (known: mode, include, exclude, loopback, strict, log, compatChannels, jmx, prometheus, stateDir, native, nativeLibrary)",
                Policy.fromProperties(props).error().orElseThrow());
    }

    @Test
    void strictSurvivesABadValueSoTheCallerCanThrow() {
        Policy p = Policy.fromAgentArgs("strict=true,mode=sever");
        assertTrue(p.strict());
        assertTrue(p.error().isPresent());
    }

    @Test
    void tokenWithoutKeyIsRejected() {
        assertTrue(Policy.fromAgentArgs("client").error().orElseThrow().contains("bad agent argument: \"client\""));
    }

    @Test
    void emptyRuleTextIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AddressRule.parse(" "));
    }

    @Test
    void aSwitchThatIsNotAPolicyKeyIsNotAnError() {
        Properties props = new Properties();
        props.setProperty("mptcp4j.compatChannels", "false");
        props.setProperty("mptcp4j.agent.jar", "/somewhere/mptcp4j-agent.jar");
        assertTrue(Policy.fromProperties(props).error().isEmpty(), Policy.fromProperties(props).toString());
    }

    @Test
    void environmentVariablesAreTheSettingsInUpperSnakeCase() {
        assertEquals("MPTCP4J_MODE", org.mptcp4j.internal.policy.Setting.MODE.environmentVariable());
        assertEquals("MPTCP4J_COMPAT_CHANNELS", org.mptcp4j.internal.policy.Setting.COMPAT_CHANNELS.environmentVariable());
        Policy p = Policy.parse(org.mptcp4j.internal.policy.Setting.fromPropertiesAndEnvironment(new Properties(),
                java.util.Map.of("MPTCP4J_MODE", "client", "MPTCP4J_EXCLUDE", "10.0.0.0/8", "PATH", "/bin")));
        assertEquals("mode=client,exclude=10.0.0.0/8,loopback=tcp,strict=false,log=warning", p.toString());
    }

    @Test
    void theMostSpecificSourceWins() {
        Properties props = new Properties();
        props.setProperty("mptcp4j.mode", "server");
        java.util.Map<String, String> env = java.util.Map.of("MPTCP4J_MODE", "off", "MPTCP4J_LOOPBACK", "mptcp");
        Policy fromProperties = Policy.parse(org.mptcp4j.internal.policy.Setting.fromPropertiesAndEnvironment(props, env));
        assertEquals("mode=server,loopback=mptcp,strict=false,log=warning", fromProperties.toString(), "property over environment");
        Policy fromAgent = Policy.fromAgentArgs("mode=client", props, env);
        assertEquals("mode=client,loopback=mptcp,strict=false,log=warning", fromAgent.toString(), "agent argument over property");
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
        Policy p = Policy.parse(org.mptcp4j.internal.policy.Setting.fromPropertiesAndEnvironment(new Properties(), java.util.Map.of("MPTCP4J_LOOPBACK", "udp")));
        assertEquals("bad value for MPTCP4J_LOOPBACK: \"udp\" (expected tcp or mptcp)", p.error().orElseThrow());
    }
}
