package org.mptcp4j.compat.spring;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A Spring Boot 4.0 service (the same as compat/spring-boot3's, in Boot 4's packages) as services are written: it serves bytes and calls out with the RestClient
 * and WebClient builders Spring gives it. {@code --app.server=tomcat|jetty|netty} picks the embedded
 * server (netty: the reactive stack).
 */
@SpringBootApplication
@RestController
public class DemoApp {
    private final RestClient rest;
    private final WebClient web;

    public DemoApp(ObjectProvider<RestClient.Builder> rest, WebClient.Builder web) {
        this.rest = rest.getIfAvailable(RestClient::builder).build(); // Boot gives a servlet app its builder only
        this.web = web.build();
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(DemoApp.class);
        if (java.util.List.of(args).contains("--app.server=netty")) {
            app.setWebApplicationType(org.springframework.boot.WebApplicationType.REACTIVE);
        }
        app.run(args);
    }

    @Bean
    @ConditionalOnProperty(name = "app.server", havingValue = "jetty")
    JettyServletWebServerFactory jetty() {
        return new JettyServletWebServerFactory();
    }

    @Bean
    @ConditionalOnProperty(name = "app.server", havingValue = "netty")
    NettyReactiveWebServerFactory netty() {
        return new NettyReactiveWebServerFactory();
    }

    /** {@code n} bytes drawn from {@code Random(seed)}. */
    @GetMapping("/bytes")
    byte[] bytes(@RequestParam("n") int n, @RequestParam("seed") long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Fetches {@code url} with the RestClient ({@code via=rest}) or the WebClient ({@code via=web}); answers its SHA-256. */
    @GetMapping("/fetch")
    Mono<String> fetch(@RequestParam("url") String url, @RequestParam("via") String via) {
        if (via.equals("rest")) {
            return Mono.just(sha256(rest.get().uri(url).retrieve().body(byte[].class)));
        }
        return web.get().uri(url).retrieve().bodyToMono(byte[].class).map(DemoApp::sha256);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
