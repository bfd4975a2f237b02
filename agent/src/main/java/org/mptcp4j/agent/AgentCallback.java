package org.mptcp4j.agent;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.mptcp4j.Converter;
import org.mptcp4j.agent.boot.MptcpHook;
import org.mptcp4j.upgrade.JdkInternals;
import org.mptcp4j.upgrade.OptionCompat;

/** Receives the hook's events and lets the shared {@link Converter} apply the policy. */
final class AgentCallback implements MptcpHook.Callback {
    private final Converter converter;
    private final Runnable firstEvent;
    private volatile boolean seen;

    AgentCallback(Converter converter, Runnable firstEvent) {
        this.converter = converter;
        this.firstEvent = firstEvent;
    }

    private void touch() {
        if (!seen) {
            seen = true;
            firstEvent.run();
        }
    }

    @Override
    public void socketCreated(FileDescriptor fd, boolean server) throws Exception {
        if (!seen) {
            long start = System.nanoTime();
            touch();
            converter.fdCreated(JdkInternals.fdVal(fd), server);
            AgentLog.debug("first socket handled in " + (System.nanoTime() - start) / 1_000_000 + " ms (native binding, availability probe)");
            return;
        }
        converter.fdCreated(JdkInternals.fdVal(fd), server);
    }

    @Override
    public void beforeConnect(FileDescriptor fd, Object address, int port) throws Exception {
        InetSocketAddress target = address instanceof InetSocketAddress ? (InetSocketAddress) address
                : new InetSocketAddress((InetAddress) address, Math.max(port, 0));
        converter.fdBeforeConnect(JdkInternals.fdVal(fd), target);
    }

    @Override
    public void nettySocketCreated(int fd, boolean server, boolean ioUring) throws Exception {
        touch();
        if (ioUring) {
            // Measured here (Linux 6.18, Netty 4.2.18): the MPTCP handshake completes, then no data is
            // delivered to io_uring reads. Keep the app working: those sockets stay TCP.
            AgentLog.warn("Netty io_uring sockets stay plain TCP: data stalls on MPTCP sockets under io_uring "
                    + "(seen with Linux 6.18, Netty 4.2); use Netty's epoll or NIO transport for MPTCP");
            converter.keptTcp();
            return;
        }
        converter.fdCreated(fd, server);
    }

    @Override
    public void nettyBeforeConnect(int fd, Object socketAddress) throws Exception {
        if (socketAddress instanceof InetSocketAddress) {
            converter.fdBeforeConnect(fd, (InetSocketAddress) socketAddress);
        }
    }

    @Override
    public boolean optionSetFailed(Throwable failure, FileDescriptor fd, Object option, Object value) {
        return !converter.policy().strict() && option instanceof java.net.SocketOption
                && OptionCompat.setFailed(failure, fd, (java.net.SocketOption<?>) option, value);
    }

    @Override
    public Object optionGetFailed(Throwable failure, FileDescriptor fd, Object option) {
        if (converter.policy().strict() || !(option instanceof java.net.SocketOption)) {
            return null;
        }
        // no failure: the entry check for a recorded value; a failure: what TCP would answer, if anything
        return failure == null ? OptionCompat.recorded(fd, (java.net.SocketOption<?>) option)
                : OptionCompat.getFailed(failure, fd, (java.net.SocketOption<?>) option);
    }

    @Override
    public void failed(String where, Throwable t) {
        AgentLog.warn("internal error in " + where + " (socket left as it was): " + t);
    }
}
