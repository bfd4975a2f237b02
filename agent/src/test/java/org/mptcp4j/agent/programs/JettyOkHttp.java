package org.mptcp4j.agent.programs;

import java.nio.ByteBuffer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** Unmodified Jetty 12 server answered by an unmodified OkHttp client. Usage: JettyOkHttp HOST. */
public final class JettyOkHttp {
    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response, Callback callback)
                    throws Exception {
                byte[] body = Content.Source.asByteBuffer(request).array();
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        try {
            OkHttpClient client = new OkHttpClient();
            byte[] payload = new byte[256 * 1024];
            Request req = new Request.Builder().url("http://" + args[0] + ":" + connector.getLocalPort() + "/")
                    .post(RequestBody.create(payload, MediaType.get("application/octet-stream"))).build();
            try (Response resp = client.newCall(req).execute()) {
                int n = resp.body().bytes().length;
                System.out.println(resp.code() == 200 && n == payload.length ? "OK " + n : "BAD " + resp.code() + " " + n);
            }
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        } finally {
            server.stop();
        }
    }
}
