package org.mptcp4j.spring.internal;

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
        // the settings are read when the customizer runs: the bean factory has them by then
        RootBeanDefinition definition = new RootBeanDefinition(type, () -> type.cast(Customizer.of(type, hook.bean(),
                argument -> hook.action().apply(beans.getBean(MptcpSettings.class), argument))));
        registry.registerBeanDefinition(hook.bean(), definition);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        this.beans = beanFactory; // the customizers ask it for the settings when they run
    }
}
