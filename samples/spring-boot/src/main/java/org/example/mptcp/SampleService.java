package org.example.mptcp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * An ordinary Spring Boot service: nothing here names mptcp4j. With the starter on the class path and
 * {@code mptcp4j.enabled=true}, Tomcat listens with MPTCP and the RestClient below connects with it;
 * {@code /actuator/info} shows what the kernel offers and what was negotiated.
 */
@SpringBootApplication
@RestController
public class SampleService {
    private final RestClient http;

    public SampleService(RestClient.Builder http) {
        this.http = http.build();
    }

    public static void main(String[] args) {
        SpringApplication.run(SampleService.class, args);
    }

    @GetMapping("/")
    String hello() {
        return "hello\n";
    }

    /** Fetches {@code url} with the RestClient and answers its length. */
    @GetMapping("/fetch")
    String fetch(@RequestParam("url") String url) {
        byte[] body = http.get().uri(url).retrieve().body(byte[].class);
        return (body == null ? 0 : body.length) + " bytes from " + url + "\n";
    }
}
