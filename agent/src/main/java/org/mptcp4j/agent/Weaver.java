package org.mptcp4j.agent;

import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.FileDescriptor;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites the two classes the agent needs, with Byte Buddy {@link Advice} only: no general agent
 * pipeline, nothing added to the class (so it also works for retransformation of loaded classes).
 * Methods are matched by name and shape, so JDK 17 through 25 (and Netty 4.1/4.2) are covered.
 */
final class Weaver {
    private Weaver() {}

    static final String NET = "sun/nio/ch/Net";
    static final String NETTY_SOCKET = "io/netty/channel/unix/Socket";

    /** The transformed class bytes and how many methods were hooked (0 = shape not recognised). */
    record Result(byte[] bytes, int hooked) {}

    static Result weave(String internalName, byte[] bytes, ClassLoader loader, String methodSuffix) {
        String name = internalName.replace('/', '.');
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription type = pool.describe(name).resolve();
        ElementMatcher.Junction<MethodDescription> create;
        ElementMatcher.Junction<MethodDescription> connect;
        Class<?> createAdvice;
        Class<?> connectAdvice;
        if (internalName.equals(NET)) {
            create = isStatic().and(named("socket" + methodSuffix).or(named("serverSocket" + methodSuffix)))
                    .and(returns(FileDescriptor.class));
            connect = isStatic().and(named("connect" + methodSuffix)).and(not(isNative())).and(returns(int.class))
                    .and(takesArgument(0, FileDescriptor.class).or(takesArgument(1, FileDescriptor.class)));
            createAdvice = NetSocketAdvice.class;
            connectAdvice = NetConnectAdvice.class;
        } else {
            create = isStatic().and(named("newSocketStream0" + methodSuffix)).and(takesArguments(boolean.class)).and(returns(int.class));
            connect = not(isStatic()).and(named("connect" + methodSuffix)).and(takesArguments(1)).and(returns(boolean.class))
                    .and(takesArgument(0, named("java.net.SocketAddress")));
            createAdvice = NettySocketAdvice.class;
            connectAdvice = NettyConnectAdvice.class;
        }
        int hooked = type.getDeclaredMethods().filter(create.or(connect)).size();
        if (hooked == 0) {
            return new Result(null, 0);
        }
        byte[] out = new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .redefine(type, locator)
                .visit(Advice.to(createAdvice).on(create))
                .visit(Advice.to(connectAdvice).on(connect))
                .make()
                .getBytes();
        return new Result(out, hooked);
    }
}
