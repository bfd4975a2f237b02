package org.mptcp4j.spring.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ClassUtils;

/**
 * Registers the starter's client customizers under Spring Boot's customizer interfaces. Spring Boot 4
 * moved them to new packages; their method and what it receives (Spring's client builders) are the same
 * in both lines, so each is one row: the interface's names and what to do with the argument. Interfaces
 * absent from the class path register nothing.
 */
public final class Hooks implements BeanDefinitionRegistryPostProcessor {
    /**
     * One customizer: the interface's fully qualified names (Boot 3.5, Boot 4.0), the class its argument
     * needs (Boot 3.5 ships WebClientCustomizer in an application without WebFlux), and the action on it.
     */
    record Hook(String bean, List<String> interfaces, String requires, BiFunction<MptcpSettings, Object, Object> action) {}

    static final List<Hook> HOOKS = List.of(
            new Hook("mptcp4jRestClient", List.of("org.springframework.boot.web.client.RestClientCustomizer",
                    "org.springframework.boot.restclient.RestClientCustomizer"), "org.springframework.web.client.RestClient",
                    Clients::restClient),
            new Hook("mptcp4jWebClient", List.of("org.springframework.boot.web.reactive.function.client.WebClientCustomizer",
                    "org.springframework.boot.webclient.WebClientCustomizer"),
                    "org.springframework.web.reactive.function.client.WebClient", Clients::webClient));

    private volatile ConfigurableListableBeanFactory beans;

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        ClassLoader loader = Hooks.class.getClassLoader();
        for (Hook hook : HOOKS) {
            if (!ClassUtils.isPresent(hook.requires(), loader)) {
                continue;
            }
            for (String name : hook.interfaces()) {
                if (ClassUtils.isPresent(name, loader)) {
                    register(registry, hook, ClassUtils.resolveClassName(name, loader));
                }
            }
        }
    }

    private <T> void register(BeanDefinitionRegistry registry, Hook hook, Class<T> type) {
        RootBeanDefinition definition = new RootBeanDefinition(type, () -> type.cast(proxy(type, hook)));
        registry.registerBeanDefinition(hook.bean(), definition);
    }

    /** The interface's one abstract method runs the hook's action on its argument (settings read when it runs). */
    private Object proxy(Class<?> type, Hook hook) {
        InvocationHandler handler = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(self, method, args, hook);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(self, method, args);
            }
            Object result = hook.action().apply(beans.getBean(MptcpSettings.class), args[0]);
            return method.getReturnType() == void.class ? null : result;
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object objectMethod(Object self, Method method, Object[] args, Hook hook) {
        return switch (method.getName()) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "mptcp4j " + hook.bean();
        };
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        this.beans = beanFactory; // the customizers ask it for the settings when they run
    }
}
