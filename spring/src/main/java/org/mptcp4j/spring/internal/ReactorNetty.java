package org.mptcp4j.spring.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;
import org.mptcp4j.netty.MptcpLoopResources;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/** Reactor Netty's server and client on loop resources whose TCP channels are MPTCP ({@link MptcpLoopResources}). */
final class ReactorNetty {
    private ReactorNetty() {}

    static Object server(MptcpSettings settings, Object httpServer) {
        HttpServer server = (HttpServer) httpServer;
        Supplier<? extends SocketAddress> bind = server.configuration().bindAddress();
        SocketAddress local = bind == null ? null : bind.get();
        boolean mptcp = local instanceof InetSocketAddress a ? settings.policy().server(a) : settings.policy().server();
        if (!mptcp) {
            return server;
        }
        LoopResources loops = server.configuration().loopResources();
        return server.runOn(MptcpLoopResources.wrap(loops != null ? loops : HttpResources.get(), true, false, settings.channels()));
    }

    /** A Reactor Netty client whose connections are MPTCP, on Reactor Netty's shared event loops. */
    static HttpClient client(MptcpSettings settings) {
        return HttpClient.create().runOn(MptcpLoopResources.wrap(HttpResources.get(), false, true, settings.channels()));
    }
}
