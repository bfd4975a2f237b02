package org.mptcp4j.agent;

import net.bytebuddy.asm.Advice;
import org.mptcp4j.agent.boot.MptcpHook;

/** Inlined into Netty's {@code io.netty.channel.unix.Socket.newSocketStream0(boolean)}: its native stream sockets. */
final class NettySocketAdvice {
    private NettySocketAdvice() {}

    @Advice.OnMethodExit
    static void exit(@Advice.Return int fd) {
        MptcpHook.nettySocketCreated(fd);
    }
}
