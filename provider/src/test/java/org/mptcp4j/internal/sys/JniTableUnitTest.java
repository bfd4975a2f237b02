package org.mptcp4j.internal.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JNI library binds every native method of {@link Jni} as it loads (its {@code JNI_OnLoad} table): one left out
 * would be bound by name at its first call, which JDK 24+ checks for native access, printing the JDK's warning
 * where the agent loaded the library without a grant.
 */
class JniTableUnitTest {
    private static final Pattern ENTRY = Pattern.compile("NATIVE\\((\\w+), \"([^\"]+)\"\\)");

    @Test
    void theLibrarysLoadTableBindsEveryNativeMethodOfJniWithItsSignature() throws Exception {
        Map<String, String> table = new TreeMap<>();
        Matcher m = ENTRY.matcher(Files.readString(Path.of("src/main/c/mptcp4j.c")));
        while (m.find()) {
            table.put(m.group(1), m.group(2));
        }
        Map<String, String> declared = new TreeMap<>();
        for (Method method : Jni.class.getDeclaredMethods()) {
            if (Modifier.isNative(method.getModifiers())) {
                declared.put(method.getName(), MethodType.methodType(method.getReturnType(), Arrays.asList(method.getParameterTypes()))
                        .toMethodDescriptorString());
            }
        }
        assertEquals(declared, table);
    }
}
