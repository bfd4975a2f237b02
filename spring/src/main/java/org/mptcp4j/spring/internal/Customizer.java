package org.mptcp4j.spring.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.function.UnaryOperator;

/**
 * An instance of one of Spring Boot's single-method customizer interfaces, known by name only (Boot 4
 * moved them): its abstract method runs {@code action} on its argument and returns what the interface
 * wants (nothing, or the action's result); default methods run as written.
 */
final class Customizer {
    private Customizer() {}

    static Object of(Class<?> type, String label, UnaryOperator<Object> action) {
        InvocationHandler handler = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> "mptcp4j " + label;
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(self, method, args);
            }
            Object result = action.apply(args[0]);
            return method.getReturnType() == void.class ? null : result;
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
