package org.mptcp4j.spring;

import org.mptcp4j.spring.internal.Hooks;
import org.mptcp4j.spring.internal.MptcpInfoContributor;
import org.mptcp4j.spring.internal.MptcpSettings;
import org.mptcp4j.spring.internal.ServerFactories;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * MPTCP for a Spring Boot application, switched on by {@code mptcp4j.enabled=true}: the embedded
 * server (Tomcat, Jetty, Reactor Netty) listens with MPTCP and the {@code RestClient} and
 * {@code WebClient} builders Spring provides connect with MPTCP (over Reactor Netty). The policy keys
 * are Spring properties: {@code mptcp4j.mode} (all, server, client, off), {@code mptcp4j.include},
 * {@code mptcp4j.exclude} (listeners by bind address and port), {@code mptcp4j.strict}. Spring Boot 3.5
 * and 4.0. Exclude it by this class's name to switch it off entirely.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "mptcp4j", name = "enabled", havingValue = "true")
public class MptcpAutoConfiguration {
    /** The policy, read once from the environment; a bad value stops the start with one line naming it. */
    @Bean
    static MptcpSettings mptcp4jSettings(Environment environment) {
        return MptcpSettings.activate(environment::getProperty);
    }

    /** The customizers of Spring's HTTP client builders, registered under the interface names of the running Spring Boot line. */
    @Bean
    static Hooks mptcp4jHooks() {
        return new Hooks();
    }

    /** The embedded server's factory, whichever it is and whoever defined it. */
    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.web.server.WebServerFactoryCustomizer")
    ServerFactories mptcp4jServerFactories(MptcpSettings settings) {
        return new ServerFactories(settings);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
    static class Actuator {
        @Bean
        MptcpInfoContributor mptcp4jInfoContributor(MptcpSettings settings) {
            return new MptcpInfoContributor(settings);
        }
    }
}
