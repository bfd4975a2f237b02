package org.mptcp4j.spring.internal;

import org.mptcp4j.internal.log.Log;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring's HTTP client builders connect with MPTCP through Reactor Netty, the one client Spring supports
 * on both Boot lines that takes a socket from outside. Without Reactor Netty the builders are left as
 * they are, and one line says so: the JDK's HttpClient cannot be given a socket.
 */
final class Clients {
    private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.http.client.HttpClient", Clients.class.getClassLoader());
    private static volatile boolean told;

    private Clients() {}

    static Object restClient(MptcpSettings settings, Object builder) {
        if (settings.policy().client() && reactorNetty("RestClient")) {
            ((RestClient.Builder) builder).requestFactory(new ReactorClientHttpRequestFactory(ReactorNetty.client(settings)));
        }
        return null;
    }

    static Object webClient(MptcpSettings settings, Object builder) {
        if (settings.policy().client() && reactorNetty("WebClient")) {
            ((WebClient.Builder) builder).clientConnector(new ReactorClientHttpConnector(ReactorNetty.client(settings)));
        }
        return null;
    }

    private static boolean reactorNetty(String client) {
        if (!REACTOR_NETTY && !told) {
            told = true;
            Log.warning(client + " stays TCP: mptcp4j gives Spring's HTTP clients MPTCP through Reactor Netty "
                    + "(io.projectreactor.netty:reactor-netty-http), which is not on the class path");
        }
        return REACTOR_NETTY;
    }
}
