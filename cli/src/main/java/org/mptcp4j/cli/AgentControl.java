package org.mptcp4j.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.mptcp4j.MptcpPolicy;

/** {@code mptcp4j attach PID [policy]} and {@code mptcp4j status PID}: the agent in a running JVM. */
final class AgentControl {
    private AgentControl() {}

    static final String MBEAN = "org.mptcp4j:type=Mptcp";
    private static final long REGISTRATION_WAIT_NANOS = 3_000_000_000L; // three of mptcp4j's one-second looks

    static Path agentJar() throws UsageException {
        String p = System.getProperty("mptcp4j.agent.jar");
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new UsageException("agent jar not found (" + p + "); run through bin/mptcp4j, which builds it");
        }
        return Path.of(p);
    }

    static String pid(String text) throws UsageException {
        if (text == null || !text.matches("[1-9][0-9]*")) {
            throw new UsageException("bad pid: " + text + " (expected the process id of a running JVM)");
        }
        return text;
    }

    /** Validates a policy string; returns it, or throws naming the problem. */
    static String checkPolicy(String args) throws UsageException {
        java.util.Optional<String> problem = MptcpPolicy.problem(args);
        if (problem.isPresent()) {
            throw new UsageException(problem.get());
        }
        return args;
    }

    static int attach(Args args, PrintStream out) throws Exception {
        String pid = pid(args.next());
        String policy = checkPolicy(args.hasNext() ? args.next() : "");
        VirtualMachine vm = connect(pid);
        try {
            vm.loadAgent(agentJar().toAbsolutePath().toString(), policy);
        } catch (AgentLoadException e) {
            throw new IOException("agent not loaded into " + pid + ": " + e.getMessage());
        } finally {
            vm.detach();
        }
        out.println("mptcp4j agent attached to " + pid + "; stream sockets it creates from now on follow the policy");
        return status(pid, out);
    }

    static int status(String pid, PrintStream out) throws Exception {
        VirtualMachine vm = connect(pid);
        String address;
        boolean wasRunning;
        try {
            // the JDK's local management agent is the only way in that reads the MBean; it stays once started
            wasRunning = vm.getAgentProperties().getProperty("com.sun.management.jmxremote.localConnectorAddress") != null;
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        if (!wasRunning) {
            out.println(pid + ": note: started that JVM's local JMX management agent (local connections only) to read the MBean;"
                    + " it stays until that JVM exits");
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            ObjectName name = new ObjectName(MBEAN);
            // mptcp4j registers only into a platform MBean server something else made, looking every second: the
            // agent just started may have made it now
            long deadline = System.nanoTime() + REGISTRATION_WAIT_NANOS;
            while (!server.isRegistered(name) && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling interval
            }
            if (!server.isRegistered(name)) {
                out.println(pid + ": no mptcp4j in that JVM (or it has not seen a socket yet)");
                return 1;
            }
            out.println(pid + ": " + server.getAttribute(name, "Summary"));
            out.println(pid + ": availability " + server.getAttribute(name, "Availability"));
            return 0;
        }
    }

    private static VirtualMachine connect(String pid) throws IOException {
        try {
            return VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to " + pid + ": " + e.getMessage()
                    + " (is it a JVM of the same user, started without -XX:+DisableAttachMechanism?)");
        }
    }
}
