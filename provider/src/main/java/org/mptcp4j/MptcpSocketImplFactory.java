package org.mptcp4j;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketImplFactory;
import java.util.Optional;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.engine.MptcpSocketImpl;
import org.mptcp4j.internal.jdk.InternalsUnavailableException;

/**
 * Makes {@link Socket} and {@link ServerSocket} (which bypass the SelectorProvider) follow the
 * mptcp4j policy: {@link #install()} sets the JDK's socket-impl factories once per JVM. Each socket
 * is then decided at connect (client, destination known) or bind (listener) time.
 */
public final class MptcpSocketImplFactory implements SocketImplFactory {
    private final boolean server;
    private final Engine engine;

    private MptcpSocketImplFactory(boolean server, Engine engine) {
        this.server = server;
        this.engine = engine;
    }

    @Override
    public SocketImpl createSocketImpl() {
        try {
            return MptcpSocketImpl.newImpl(server, engine);
        } catch (InternalsUnavailableException e) {
            // install() checked access first; reaching here means the JDK changed under us
            throw new IllegalStateException("mptcp4j: " + e.getMessage(), e);
        }
    }

    private static volatile boolean installed;

    /**
     * Installs the factories for {@code Socket} and {@code ServerSocket} with the policy from the
     * {@code mptcp4j.*} system properties. Returns empty on success (or if already installed by
     * mptcp4j), otherwise the one-line reason nothing was installed (JDK internals closed, another
     * factory already set); sockets then stay plain TCP.
     */
    @SuppressWarnings("deprecation") // setSocketFactory / setSocketImplFactory: the JDK's only hooks for this
    public static synchronized Optional<String> install() {
        if (installed) {
            return Optional.empty();
        }
        String problem = MptcpSocketImpl.accessProblem();
        if (problem != null) {
            return Optional.of(problem);
        }
        Engine engine = Engine.system();
        try {
            Socket.setSocketImplFactory(new MptcpSocketImplFactory(false, engine));
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot install the Socket factory: " + e.getMessage());
        }
        try {
            ServerSocket.setSocketFactory(new MptcpSocketImplFactory(true, engine));
        } catch (IOException | RuntimeException e) {
            return Optional.of("Socket factory installed, ServerSocket factory not: " + e.getMessage());
        }
        installed = true;
        return Optional.empty();
    }

    /** Whether {@link #install()} succeeded in this JVM. */
    public static boolean isInstalled() {
        return installed;
    }
}
