package org.mptcp4j.agent.programs;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Unmodified embedded Tomcat 11 (NIO connector) serving POSTs echoed back, called by java.net.http. Usage: TomcatEcho HOST. */
public final class TomcatEcho {
    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        tomcat.getService().addConnector(connector);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "echo", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] body = req.getInputStream().readAllBytes();
                resp.setContentLength(body.length);
                resp.getOutputStream().write(body);
            }
        });
        ctx.addServletMappingDecoded("/*", "echo");
        tomcat.start();
        try {
            int port = connector.getLocalPort();
            byte[] payload = new byte[256 * 1024];
            HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + args[0] + ":" + port + "/")).POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            System.out.println(resp.statusCode() == 200 && resp.body().length == payload.length ? "OK " + resp.body().length : "BAD " + resp.statusCode());
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
