package org.mptcp4j.agent;

import net.bytebuddy.asm.Advice;
import org.mptcp4j.agent.boot.MptcpHook;

/** Inlined into Netty's {@code io.netty.channel.unix.Socket.connect(SocketAddress)} (epoll transport). */
final class NettyConnectAdvice {
    private NettyConnectAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("fd") int fd, @Advice.Argument(0) Object address) {
        MptcpHook.nettyBeforeConnect(fd, address);
    }
}
