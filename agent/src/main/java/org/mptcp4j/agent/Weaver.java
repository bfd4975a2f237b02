package org.mptcp4j.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the two classes the agent needs with a few instructions each, using ASM:
 * <ul>
 *   <li>{@code sun.nio.ch.Net.socket*} / {@code serverSocket*} (static, return FileDescriptor): before
 *       each return, the new fd goes to {@code MptcpHook.socketCreated(fd, stream, server)};</li>
 *   <li>{@code sun.nio.ch.Net.connect*} (static, non-native, returns int, takes a FileDescriptor): on
 *       entry, {@code MptcpHook.connecting(fd, address, port)};</li>
 *   <li>Netty's {@code io.netty.channel.unix.Socket.newSocketStream0(boolean)}: the new int fd to
 *       {@code MptcpHook.nettySocketCreated(fd)}; {@code connect(SocketAddress)}: on entry,
 *       {@code MptcpHook.nettyBeforeConnect(intValue(), address)}.</li>
 * </ul>
 * Methods are matched by name and shape, so JDK 17 through 25 and Netty 4.1/4.2 are covered; nothing
 * is added to the class (no fields, methods, locals or frames), so retransforming a loaded class
 * after attach is allowed. Byte Buddy's Advice did the same in ~220 ms at the first socket; this
 * takes a few milliseconds (benchmarks/RESULTS.md).
 */
final class Weaver {
    private Weaver() {}

    static final String NET = "sun/nio/ch/Net";
    static final String NETTY_SOCKET = "io/netty/channel/unix/Socket";
    private static final String HOOK = "org/mptcp4j/agent/boot/MptcpHook";
    private static final String FD = "java/io/FileDescriptor";

    /** The transformed class bytes and how many methods were hooked (0 = shape not recognised). */
    record Result(byte[] bytes, int hooked) {}

    static Result weave(String internalName, byte[] bytes, String methodSuffix) {
        ClassReader reader = new ClassReader(bytes);
        java.util.Set<String> withHandlers = methodsWithHandlers(reader);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        int[] hooked = {0};
        boolean net = internalName.equals(NET);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
                boolean isNative = (access & Opcodes.ACC_NATIVE) != 0;
                Type ret = Type.getReturnType(desc);
                Type[] params = Type.getArgumentTypes(desc);
                if (net && isStatic && !isNative) {
                    if ((name.equals("socket" + methodSuffix) || name.equals("serverSocket" + methodSuffix))
                            && ret.getInternalName().equals(FD)) {
                        hooked[0]++;
                        return new NetSocketCreated(mv, params, name.startsWith("serverSocket"));
                    }
                    if (name.equals("connect" + methodSuffix) && ret.getSort() == Type.INT && slotOf(params, FD) >= 0) {
                        hooked[0]++;
                        return new NetConnect(mv, params);
                    }
                    boolean set = name.equals("setSocketOption" + methodSuffix) && ret.getSort() == Type.VOID;
                    boolean get = name.equals("getSocketOption" + methodSuffix) && ret.getInternalName().equals("java/lang/Object");
                    if ((set || get) && slotOf(params, FD) >= 0 && slotOf(params, "java/net/SocketOption") >= 0
                            && (get || slotOf(params, "java/lang/Object") >= 0) && !withHandlers.contains(name + desc)) {
                        hooked[0]++;
                        return new NetOption(mv, params, set);
                    }
                } else if (!net && !isNative) {
                    if (isStatic && name.equals("newSocketStream0" + methodSuffix) && desc.equals("(Z)I")) {
                        hooked[0]++;
                        return new NettySocketCreated(mv);
                    }
                    if (!isStatic && name.equals("connect" + methodSuffix) && desc.equals("(Ljava/net/SocketAddress;)Z")) {
                        hooked[0]++;
                        return new NettyConnect(mv);
                    }
                }
                return mv;
            }
        }, 0);
        return new Result(hooked[0] == 0 ? null : writer.toByteArray(), hooked[0]);
    }

    /** Methods that have exception handlers of their own: wrapping them could shadow those handlers, so they are left alone. */
    private static java.util.Set<String> methodsWithHandlers(ClassReader reader) {
        java.util.Set<String> found = new java.util.HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTryCatchBlock(org.objectweb.asm.Label start, org.objectweb.asm.Label end,
                                                   org.objectweb.asm.Label handler, String type) {
                        found.add(name + desc);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found;
    }

    /**
     * {@code Net.setSocketOption*} / {@code getSocketOption*}: the whole body in a try/catch for
     * IOException. The handler asks the hook whether this is an MPTCP-only refusal with a documented
     * answer (set: swallow; get: return the recorded value); otherwise the exception is rethrown
     * unchanged. The handler's frames are written in full, the only frames this weaver adds.
     */
    private static final class NetOption extends MethodVisitor {
        /** IOException, and the UnsupportedOperationException jdk.net throws for a refused extended option. */
        private static final String CAUGHT = "java/lang/Exception";
        private final boolean set;
        private final Object[] frameLocals;
        private final int fdSlot;
        private final int optionSlot;
        private final int valueSlot;
        private final org.objectweb.asm.Label start = new org.objectweb.asm.Label();
        private final org.objectweb.asm.Label end = new org.objectweb.asm.Label();
        private final org.objectweb.asm.Label handler = new org.objectweb.asm.Label();

        NetOption(MethodVisitor mv, Type[] params, boolean set) {
            super(Opcodes.ASM9, mv);
            this.set = set;
            this.fdSlot = slotOf(params, FD);
            this.optionSlot = slotOf(params, "java/net/SocketOption");
            this.valueSlot = set ? slotOf(params, "java/lang/Object") : -1;
            java.util.List<Object> locals = new java.util.ArrayList<>();
            for (Type t : params) {
                switch (t.getSort()) {
                    case Type.BOOLEAN: case Type.BYTE: case Type.CHAR: case Type.SHORT: case Type.INT:
                        locals.add(Opcodes.INTEGER);
                        break;
                    case Type.LONG:
                        locals.add(Opcodes.LONG);
                        break;
                    case Type.DOUBLE:
                        locals.add(Opcodes.DOUBLE);
                        break;
                    case Type.FLOAT:
                        locals.add(Opcodes.FLOAT);
                        break;
                    default:
                        locals.add(t.getInternalName());
                }
            }
            this.frameLocals = locals.toArray();
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (!set) {
                // a value mptcp4j recorded for an option the MPTCP socket refused wins over the kernel's answer
                org.objectweb.asm.Label kernel = new org.objectweb.asm.Label();
                super.visitVarInsn(Opcodes.ALOAD, fdSlot);
                super.visitVarInsn(Opcodes.ALOAD, optionSlot);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "optionRecorded", "(L" + FD + ";Ljava/lang/Object;)Ljava/lang/Object;", false);
                super.visitInsn(Opcodes.DUP);
                super.visitJumpInsn(Opcodes.IFNULL, kernel);
                super.visitInsn(Opcodes.ARETURN);
                super.visitLabel(kernel);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {"java/lang/Object"});
                super.visitInsn(Opcodes.POP);
            }
            super.visitTryCatchBlock(start, end, handler, CAUGHT);
            super.visitLabel(start);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(end);
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {CAUGHT});
            org.objectweb.asm.Label rethrow = new org.objectweb.asm.Label();
            super.visitInsn(Opcodes.DUP);
            super.visitVarInsn(Opcodes.ALOAD, fdSlot);
            super.visitVarInsn(Opcodes.ALOAD, optionSlot);
            if (set) {
                super.visitVarInsn(Opcodes.ALOAD, valueSlot);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "optionSetFailed",
                        "(Ljava/lang/Throwable;L" + FD + ";Ljava/lang/Object;Ljava/lang/Object;)Z", false);
                super.visitJumpInsn(Opcodes.IFEQ, rethrow);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(Opcodes.RETURN);
                super.visitLabel(rethrow);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {CAUGHT});
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "optionGetFailed",
                        "(Ljava/lang/Throwable;L" + FD + ";Ljava/lang/Object;)Ljava/lang/Object;", false);
                super.visitInsn(Opcodes.DUP);
                super.visitJumpInsn(Opcodes.IFNULL, rethrow);
                super.visitInsn(Opcodes.SWAP);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(Opcodes.ARETURN);
                super.visitLabel(rethrow);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 2, new Object[] {CAUGHT, "java/lang/Object"});
                super.visitInsn(Opcodes.POP);
            }
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(maxStack, maxLocals);
        }
    }

    /** Local-variable slot of the first parameter of the given internal type name (static method), or -1. */
    private static int slotOf(Type[] params, String internalName) {
        int slot = 0;
        for (Type t : params) {
            if (t.getSort() == Type.OBJECT && t.getInternalName().equals(internalName)) {
                return slot;
            }
            slot += t.getSize();
        }
        return -1;
    }

    /** Before each ARETURN: dup the FileDescriptor, push stream and server flags, call the hook. */
    private static final class NetSocketCreated extends MethodVisitor {
        private final int streamSlot; // -1: no boolean parameter, stream-only method (JDK 25's socket())
        private final boolean server;

        NetSocketCreated(MethodVisitor mv, Type[] params, boolean server) {
            super(Opcodes.ASM9, mv);
            int slot = 0;
            int last = -1;
            for (Type t : params) {
                if (t.getSort() == Type.BOOLEAN) {
                    last = slot;
                }
                slot += t.getSize();
            }
            this.streamSlot = last;
            this.server = server;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.ARETURN) {
                super.visitInsn(Opcodes.DUP);
                if (streamSlot >= 0) {
                    super.visitVarInsn(Opcodes.ILOAD, streamSlot);
                } else {
                    super.visitInsn(Opcodes.ICONST_1);
                }
                super.visitInsn(server ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "socketCreated", "(L" + FD + ";ZZ)V", false);
            }
            super.visitInsn(opcode);
        }
    }

    /** On entry: the FileDescriptor, the address (InetAddress or SocketAddress) and the port (or -1). */
    private static final class NetConnect extends MethodVisitor {
        private final int fdSlot;
        private final int addressSlot;
        private final int portSlot;

        NetConnect(MethodVisitor mv, Type[] params) {
            super(Opcodes.ASM9, mv);
            int slot = 0;
            int fd = -1;
            int address = -1;
            int port = -1;
            for (Type t : params) {
                if (t.getSort() == Type.OBJECT) {
                    String n = t.getInternalName();
                    if (n.equals(FD)) {
                        fd = slot;
                    } else if (n.equals("java/net/InetAddress") || n.equals("java/net/SocketAddress")) {
                        address = slot;
                    }
                } else if (t.getSort() == Type.INT && address >= 0 && port < 0) {
                    port = slot;
                }
                slot += t.getSize();
            }
            this.fdSlot = fd;
            this.addressSlot = address;
            this.portSlot = port;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (addressSlot < 0) {
                return;
            }
            super.visitVarInsn(Opcodes.ALOAD, fdSlot);
            super.visitVarInsn(Opcodes.ALOAD, addressSlot);
            if (portSlot >= 0) {
                super.visitVarInsn(Opcodes.ILOAD, portSlot);
            } else {
                super.visitInsn(Opcodes.ICONST_M1);
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "connecting", "(L" + FD + ";Ljava/lang/Object;I)V", false);
        }
    }

    /** Before IRETURN of newSocketStream0(boolean): the new fd to the hook. */
    private static final class NettySocketCreated extends MethodVisitor {
        NettySocketCreated(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.IRETURN) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettySocketCreated", "(I)V", false);
            }
            super.visitInsn(opcode);
        }
    }

    /** On entry of connect(SocketAddress): this.intValue() and the address. */
    private static final class NettyConnect extends MethodVisitor {
        NettyConnect(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "io/netty/channel/unix/FileDescriptor", "intValue", "()I", false);
            super.visitVarInsn(Opcodes.ALOAD, 1);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyBeforeConnect", "(ILjava/lang/Object;)V", false);
        }
    }
}
