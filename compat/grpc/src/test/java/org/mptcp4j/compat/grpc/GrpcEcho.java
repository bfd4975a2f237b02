package org.mptcp4j.compat.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * An unmodified gRPC-java server and client on grpc-netty-shaded (Netty relocated under
 * {@code io.grpc.netty.shaded}), with the transport gRPC picks by itself (its relocated epoll on
 * Linux). Usage: {@code GrpcEcho HOST CALLS [keepalive]}; {@code keepalive} configures client keepalive,
 * which makes gRPC set TCP_USER_TIMEOUT. Prints {@code OK} when every call echoed its bytes exactly.
 */
public final class GrpcEcho {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("mptcp4j.Echo/Echo")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int calls = Integer.parseInt(args[1]);
        boolean keepalive = args.length > 2 && args[2].equals("keepalive");
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, 0))
                .addService(ServerServiceDefinition.builder("mptcp4j.Echo")
                        .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                            response.onNext(request);
                            response.onCompleted();
                        })).build())
                .build().start();
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, server.getPort()).usePlaintext();
        if (keepalive) {
            builder.keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(5, TimeUnit.SECONDS);
        }
        ManagedChannel channel = builder.build();
        try {
            long bytes = 0;
            for (int i = 0; i < calls; i++) {
                byte[] payload = new byte[1 << 20];
                new Random(i).nextBytes(payload);
                byte[] echoed = ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), payload);
                if (!Arrays.equals(payload, echoed)) {
                    throw new AssertionError("call " + i + ": echoed bytes differ from sent");
                }
                bytes += 2L * payload.length;
            }
            boolean epoll = io.grpc.netty.shaded.io.netty.channel.epoll.Epoll.isAvailable();
            System.out.println("OK calls=" + calls + " bytes=" + bytes + " transport=" + (epoll ? "epoll" : "nio")
                    + " grpc=" + io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.class.getPackage().getImplementationVersion());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
