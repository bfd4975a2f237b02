import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Build step (process-classes, run by the source launcher): sets ACC_VARARGS on the agent's premain and agentmain.
 * The JDK calls them with Method.invoke; from JDK 18 on, reflection spins method handles for a method's first call
 * (LambdaForms, through the class-file API on JDK 24+), tens of milliseconds at every start, unless the method is one
 * it cannot bind that way: a varargs method whose last parameter is no array is called through the native accessor
 * (jdk.internal.reflect.MethodHandleAccessorFactory.useNativeAccessor). The JVM does not check the flag; no source
 * calls these methods. Usage: java -cp asm.jar NativeReflectedEntryPoints Agent.class
 */
public final class NativeReflectedEntryPoints {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        ClassReader reader = new ClassReader(Files.readAllBytes(file));
        ClassWriter writer = new ClassWriter(0);
        int[] flagged = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                boolean entry = (name.equals("premain") || name.equals("agentmain"))
                        && descriptor.equals("(Ljava/lang/String;Ljava/lang/instrument/Instrumentation;)V");
                if (entry) {
                    flagged[0]++;
                }
                return super.visitMethod(entry ? access | Opcodes.ACC_VARARGS : access, name, descriptor, signature, exceptions);
            }
        }, 0);
        if (flagged[0] != 2) {
            throw new IllegalStateException(file + ": expected premain and agentmain (String, Instrumentation), found " + flagged[0]);
        }
        Files.write(file, writer.toByteArray());
    }
}
