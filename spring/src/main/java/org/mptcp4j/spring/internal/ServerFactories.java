package org.mptcp4j.spring.internal;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.BiFunction;
import org.mptcp4j.internal.log.Log;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Puts MPTCP into every embedded-server factory, auto-configured or the application's own: Tomcat gets
 * {@link MptcpHttp11NioProtocol} by name ({@code setProtocol}); Jetty and Reactor Netty get a server
 * customizer ({@code addServerCustomizers}). The factories and their customizer interfaces moved
 * packages in Spring Boot 4 but kept these methods, so the rows name methods, not types.
 */
public final class ServerFactories implements WebServerFactoryCustomizer<WebServerFactory> {
    /** A server: what its factory's class name contains, and what to do with its factory. */
    record Row(String server, BiFunction<ServerFactories, WebServerFactory, String> apply) {}

    static final List<Row> ROWS = List.of(
            new Row("Tomcat", (s, f) -> s.invoke(f, "setProtocol", MptcpHttp11NioProtocol.class.getName())),
            new Row("Jetty", (s, f) -> s.addServerCustomizer(f, JettyListeners::customize)),
            new Row("Netty", (s, f) -> s.addServerCustomizer(f, ReactorNetty::server)));

    private final MptcpSettings settings;

    public ServerFactories(MptcpSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(WebServerFactory factory) {
        if (!settings.policy().server()) {
            return;
        }
        String name = factory.getClass().getName();
        for (Row row : ROWS) {
            if (name.contains(row.server())) {
                String failure = row.apply().apply(this, factory);
                if (failure != null) {
                    Log.warning(row.server() + " stays TCP: " + name + " " + failure);
                }
                return;
            }
        }
        Log.warning("the embedded server stays TCP: mptcp4j does not know " + name + " (it knows Tomcat, Jetty and Reactor Netty)");
    }

    private String invoke(WebServerFactory factory, String method, String argument) {
        try {
            factory.getClass().getMethod(method, String.class).invoke(factory, argument);
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "has no " + method + "(String) mptcp4j can call (" + e + ")";
        }
    }

    /** {@code addServerCustomizers(X...)} with one X whose single abstract method runs {@code action} on its argument. */
    private String addServerCustomizer(WebServerFactory factory, BiFunction<MptcpSettings, Object, Object> action) {
        for (Method m : factory.getClass().getMethods()) {
            Class<?>[] p = m.getParameterTypes();
            if (m.getName().equals("addServerCustomizers") && p.length == 1 && p[0].isArray() && p[0].getComponentType().isInterface()) {
                Class<?> type = p[0].getComponentType();
                Object array = java.lang.reflect.Array.newInstance(type, 1);
                java.lang.reflect.Array.set(array, 0, Customizer.of(type, type.getSimpleName(), argument -> action.apply(settings, argument)));
                try {
                    m.invoke(factory, array);
                    return null;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return "refused a server customizer (" + e + ")";
                }
            }
        }
        return "has no addServerCustomizers(...) mptcp4j can call";
    }
}
