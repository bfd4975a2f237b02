package org.mptcp4j.agent;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import org.mptcp4j.agent.boot.MptcpHook;

/** Inlined into {@code sun.nio.ch.Net.socket*} and {@code serverSocket*}: hands each new stream socket to the hook. */
final class NetSocketAdvice {
    private NetSocketAdvice() {}

    @Advice.OnMethodEnter
    static int enter() {
        return MptcpHook.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter int depth, @Advice.Origin("#m") String method, @Advice.AllArguments Object[] args,
                     @Advice.Return FileDescriptor fd, @Advice.Thrown Throwable thrown) {
        MptcpHook.exit();
        if (thrown == null) {
            MptcpHook.socketCreated(depth, method, args, fd);
        }
    }
}
