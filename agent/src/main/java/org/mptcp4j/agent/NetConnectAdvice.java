package org.mptcp4j.agent;

import net.bytebuddy.asm.Advice;
import org.mptcp4j.agent.boot.MptcpHook;

/** Inlined into {@code sun.nio.ch.Net.connect*}: the destination-dependent client decision, before the connect syscall. */
final class NetConnectAdvice {
    private NetConnectAdvice() {}

    @Advice.OnMethodEnter
    static int enter(@Advice.AllArguments Object[] args) {
        return MptcpHook.connectEnter(args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit() {
        MptcpHook.exit();
    }
}
