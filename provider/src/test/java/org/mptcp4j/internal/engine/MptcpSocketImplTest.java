package org.mptcp4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketImpl;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.Requirements;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.policy.Policy;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * The system-property path's SocketImpl puts a client on an MPTCP socket when the JDK has created its own,
 * and puts it back on TCP at connect for a destination the policy keeps there; what the kernel says about
 * the socket behind the JDK's fd is the proof. Loopback only: a plain TCP listener accepts both kinds.
 */
class MptcpSocketImplTest {
    private ServerSocket listener;

    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private static Engine engine(String settings) {
        return new Engine(Policy.fromAgentArgs(settings, new Properties(), Map.of()));
    }

    private static MptcpSocketImpl created(Engine engine) throws Exception {
        MptcpSocketImpl impl = (MptcpSocketImpl) MptcpSocketImpl.newImpl(false, engine);
        impl.create(true);
        return impl;
    }

    private static int kernel(SocketImpl impl, int level, int option) throws Exception {
        return NativeSockets.getIntOption(JdkInternals.handle(((MptcpSocketImpl) impl).delegate()).fd(), level, option);
    }

    private InetSocketAddress loopbackListener() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    @Test
    void aClientIsAnMptcpSocketAsSoonAsItIsCreated() throws Exception {
        MptcpSocketImpl impl = created(engine(""));
        try {
            assertEquals(Linux.IPPROTO_MPTCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        } finally {
            impl.close();
        }
    }

    @Test
    void itKeepsTheFamilyTheJdkCreatedItsSocketIn() throws Exception {
        MptcpSocketImpl impl = created(engine(""));
        try (java.nio.channels.SocketChannel reference = java.nio.channels.SocketChannel.open()) {
            int family = NativeSockets.getIntOption(JdkInternals.handle(reference).fd(), Linux.SOL_SOCKET, Linux.SO_DOMAIN);
            assertEquals(family, kernel(impl, Linux.SOL_SOCKET, Linux.SO_DOMAIN));
            if (family == Linux.AF_INET6) {
                assertEquals(0, kernel(impl, Linux.IPPROTO_IPV6, Linux.IPV6_V6ONLY), "dual-stack, as the JDK's");
            }
        } finally {
            impl.close();
        }
    }

    @Test
    void aDestinationThePolicyKeepsOnTcpConnectsOverTcp() throws Exception {
        MptcpSocketImpl impl = created(engine("")); // loopback stays TCP by default
        try {
            impl.connect(loopbackListener(), 5_000);
            listener.accept().close();
            assertEquals(Linux.IPPROTO_TCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        } finally {
            impl.close();
        }
    }

    @Test
    void aDestinationThePolicyAllowsConnectsOnTheSocketMadeAtCreation() throws Exception {
        MptcpSocketImpl impl = created(engine("loopback=mptcp"));
        try {
            impl.connect(loopbackListener(), 5_000);
            listener.accept().close();
            assertEquals(Linux.IPPROTO_MPTCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        } finally {
            impl.close();
        }
    }

    @Test
    void anOptionMptcpRefusesIsGivenForRealWhenTheSocketGoesBackToTcp() throws Exception {
        MptcpSocketImpl impl = created(engine(""));
        try {
            impl.setOption(java.net.SocketOptions.SO_OOBINLINE, Boolean.TRUE);
            assertEquals(Boolean.TRUE, impl.getOption(java.net.SocketOptions.SO_OOBINLINE), "answered while MPTCP");
            impl.connect(loopbackListener(), 5_000);
            listener.accept().close();
            assertEquals(1, kernel(impl, Linux.SOL_SOCKET, 10 /* SO_OOBINLINE */), "set in the kernel on the TCP socket");
        } finally {
            impl.close();
        }
    }

    @Test
    void aClientBoundBeforeConnectKeepsItsAddressWhenItGoesBackToTcp() throws Exception {
        MptcpSocketImpl impl = created(engine(""));
        try {
            impl.bind(InetAddress.getLoopbackAddress(), 0);
            int port = org.mptcp4j.internal.sys.Sockaddr.port(NativeSockets.getsockname(JdkInternals.handle(impl.delegate()).fd()));
            impl.connect(loopbackListener(), 5_000);
            try (java.net.Socket accepted = listener.accept()) {
                assertEquals(port, accepted.getPort(), "the server sees the port the client bound");
            }
            assertEquals(Linux.IPPROTO_TCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        } finally {
            impl.close();
        }
    }

    @Test
    void aPolicyWithoutClientsLeavesTheJdksSocketAsItIs() throws Exception {
        MptcpSocketImpl impl = created(engine("mode=server"));
        try {
            assertEquals(Linux.IPPROTO_TCP, kernel(impl, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        } finally {
            impl.close();
        }
    }
}
