package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The list of classes loaded ahead of the first connection (its completeness is AgentTest's). */
class FirstSocketClassesUnitTest {
    @Test
    void everyNameIsAClassOfTheAgent() {
        for (String name : FirstSocketClasses.NAMES) {
            assertDoesNotThrow(() -> Class.forName(name, false, FirstSocketClasses.class.getClassLoader()), name);
        }
    }

    @Test
    void noListedClassExtendsOrImplementsABootHookClass() throws Exception {
        // loaded ahead of the hook's definition in the boot loader, it would have the agent's loader define its own copy
        for (String name : FirstSocketClasses.NAMES) {
            Class<?> c = Class.forName(name, false, FirstSocketClasses.class.getClassLoader());
            for (Class<?> s : supertypes(c, new java.util.ArrayList<>())) {
                assertFalse(s.getName().startsWith("org.mptcp4j.agent.boot."), name + " extends or implements " + s.getName());
            }
        }
    }

    private static java.util.List<Class<?>> supertypes(Class<?> c, java.util.List<Class<?>> into) {
        for (Class<?> i : c.getInterfaces()) {
            into.add(i);
            supertypes(i, into);
        }
        if (c.getSuperclass() != null) {
            into.add(c.getSuperclass());
            supertypes(c.getSuperclass(), into);
        }
        return into;
    }

    @Test
    void noNameIsListedTwice() {
        assertEquals(FirstSocketClasses.NAMES.length, Arrays.stream(FirstSocketClasses.NAMES).distinct().count());
    }
}
